import { readFile } from "node:fs/promises";
import { errorMessage, UsageError } from "../core/errors.js";
import { interpretNanomqConf, type NanomqConf } from "./nanomq-conf.js";

/**
 * Reads a NanoMQ config file. Throws UsageError (exit 2, one line) when it is missing, unreadable, binary, or
 * holds no setting at all.
 */
export async function readNanomqConf(path: string): Promise<NanomqConf> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`config: ${path}: no such file`);
    if (code === "EISDIR") throw new UsageError(`config: ${path}: is a directory`);
    throw new UsageError(`config: cannot read ${path}: ${errorMessage(err)}`);
  }
  if (buffer.includes(0)) throw new UsageError(`config: ${path}: binary file, not a NanoMQ config`);
  const conf = interpretNanomqConf(buffer.toString("utf8"));
  if (conf.settings === 0) throw new UsageError(`config: ${path}: no settings found, not a NanoMQ config`);
  return conf;
}
