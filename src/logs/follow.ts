import { type FileHandle, open, stat } from "node:fs/promises";
import { type Clock, realClock } from "../core/clock.js";
import { UsageError } from "../core/errors.js";
import { LineSplitter } from "./line-splitter.js";

export interface FollowOptions {
  /** Stops following; resolves once the current read is done. */
  signal: AbortSignal;
  onLines: (lines: string[]) => void;
  /** Called once the file has been quiet for idleMs after new lines: the time to flush open incidents. */
  onIdle?: () => void;
  clock?: Clock;
  pollMs?: number;
  idleMs?: number;
  /** Start at the file's current end (like `tail -n 0 -F`): only lines written from now on. */
  fromEnd?: boolean;
}

const READ_BYTES = 1 << 20;

/**
 * Tails a growing file, like `tail -F`: reads what is there (or, with fromEnd, skips it), then polls for more. Survives
 * rotation (the path now names a new file: the old one is read to its end, then the new one from its start)
 * and truncation (copytruncate: read again from the start). Polls on the given clock.
 */
export async function followFile(path: string, options: FollowOptions): Promise<void> {
  const clock = options.clock ?? realClock();
  const pollMs = options.pollMs ?? 200;
  const idleMs = options.idleMs ?? 1000;
  let handle = await openFollowed(path);
  const first = await handle.stat();
  let ino = first.ino;
  let position = options.fromEnd ? first.size : 0;
  let splitter = new LineSplitter();
  const buffer = Buffer.alloc(READ_BYTES);
  let quietSince = clock.now();
  let flushed = true;

  const drain = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, position);
      if (bytesRead === 0) return total;
      position += bytesRead;
      total += bytesRead;
      const lines = splitter.push(buffer.subarray(0, bytesRead));
      if (lines.length > 0) options.onLines(lines);
    }
  };

  try {
    while (!options.signal.aborted) {
      if ((await drain()) > 0) {
        quietSince = clock.now();
        flushed = false;
      }
      const current = await stat(path).catch(() => undefined);
      if (current && current.ino !== ino) {
        await drain(); // what was written to the old file before the rename
        const rest = splitter.end();
        if (rest.length > 0) options.onLines(rest);
        await handle.close();
        handle = await openFollowed(path);
        ino = (await handle.stat()).ino;
        position = 0;
        splitter = new LineSplitter();
        continue;
      }
      if (current && current.size < position) {
        position = 0; // truncated in place (copytruncate): what was left of a line before it is gone too
        splitter = new LineSplitter();
      }
      if (!flushed && clock.now() - quietSince >= idleMs) {
        options.onIdle?.();
        flushed = true;
      }
      await clock.sleep(pollMs);
    }
    await drain();
    const rest = splitter.end();
    if (rest.length > 0) options.onLines(rest);
  } finally {
    await handle.close();
  }
}

async function openFollowed(path: string): Promise<FileHandle> {
  try {
    return await open(path, "r");
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UsageError(
      `cannot follow ${path}: ${code === "ENOENT" ? "no such file" : (err as Error).message}`,
    );
  }
}
