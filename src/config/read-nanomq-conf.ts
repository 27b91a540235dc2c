import { readFile } from "node:fs/promises";
import { errorMessage, UsageError } from "../core/errors.js";
import { type InterpretOptions, interpretNanomqConf, type NanomqConf } from "./nanomq-conf.js";

/**
 * Reads a NanoMQ config file. Throws UsageError (exit 2, one line) when it is missing, unreadable, binary, or
 * neither of NanoMQ's readers takes any setting from it.
 */
export async function readNanomqConf(path: string, options: InterpretOptions = {}): Promise<NanomqConf> {
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
  const conf = interpretNanomqConf(buffer.toString("utf8"), options);
  if (conf.format === "neither" || conf.settings === 0) {
    throw new UsageError(
      options.format === "flat"
        ? `config: ${path}: not a flat NanoMQ config: no key=value line that NanoMQ's --old_conf reader takes`
        : `config: ${path}: neither NanoMQ format: no HOCON setting or block, and no key=value line of the old flat format`,
    );
  }
  return conf;
}
