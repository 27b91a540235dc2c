import { constants } from "node:fs";
import { access, open, stat } from "node:fs/promises";
import type { Clock, TimerHandle } from "../core/clock.js";
import { errorMessage, UsageError } from "../core/errors.js";

/**
 * Follows a broker's log file from its current end, polling on the clock, and hands over each complete new line.
 * A file that shrinks (rotated or truncated) is read again from its start.
 */
export interface LogTail {
  /** Reads whatever is new right now. */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

/** The log's current size; a UsageError (exit 2) when it cannot be read. */
export async function logSize(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error("not a file");
    await access(path, constants.R_OK);
    return s.size;
  } catch (err) {
    throw new UsageError(`--broker-log: cannot read ${path}: ${errorMessage(err)}`);
  }
}

export async function tailLog(
  path: string,
  clock: Clock,
  onLine: (line: string) => void,
  everyMs = 100,
): Promise<LogTail> {
  let offset = await logSize(path);
  let partial = "";
  let reading: Promise<void> = Promise.resolve();
  const read = async () => {
    const size = (await stat(path).catch(() => undefined))?.size ?? offset;
    if (size < offset) {
      offset = 0;
      partial = "";
    }
    if (size === offset) return;
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(size - offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      offset += bytesRead;
      const lines = (partial + buffer.subarray(0, bytesRead).toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") onLine(line.replace(/\r$/, ""));
    } finally {
      await handle.close();
    }
  };
  const poll = () => {
    reading = reading.then(read, read);
    return reading;
  };
  const timer: TimerHandle = clock.setInterval(() => void poll(), everyMs);
  return {
    poll,
    async stop() {
      clock.clear(timer);
      await poll();
    },
  };
}
