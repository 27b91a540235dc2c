import { readFile } from "node:fs/promises";
import { errorMessage, UsageError } from "../core/errors.js";

/** A config file's text; UsageError (exit 2, one line) when it is missing, unreadable or binary. */
export async function readConfText(path: string): Promise<string> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`config: ${path}: no such file`);
    if (code === "EISDIR") throw new UsageError(`config: ${path}: is a directory`);
    throw new UsageError(`config: cannot read ${path}: ${errorMessage(err)}`);
  }
  if (buffer.includes(0)) throw new UsageError(`config: ${path}: binary file, not a broker config`);
  return buffer.toString("utf8");
}
