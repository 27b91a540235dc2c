import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import type { Clock, TimerHandle } from "../core/clock.js";
import { errorMessage, UsageError } from "../core/errors.js";
import { FileFollower } from "../logs/file-follower.js";

/**
 * Follows a broker's log file from its current end, polling on the clock, and hands over each complete new line.
 * A rotated file (renamed, a new one created) is read to its end and the new one from its start; a truncated one
 * again from its start.
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
  await logSize(path);
  // The same following as `mqdiag logs --follow`: survives NanoMQ's rename rotation (10 KB by default) and truncation.
  const follower = await FileFollower.open(path, { fromEnd: true });
  const hand = (lines: string[]) => {
    for (const line of lines) if (line.trim() !== "") onLine(line);
  };
  let reading: Promise<unknown> = Promise.resolve();
  const poll = () => {
    const read = () => follower.read(hand);
    reading = reading.then(read, read);
    return reading.then(() => undefined);
  };
  const timer: TimerHandle = clock.setInterval(() => void poll(), everyMs);
  return {
    poll,
    async stop() {
      clock.clear(timer);
      await poll();
      await follower.close();
    },
  };
}
