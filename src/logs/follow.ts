import { type Clock, realClock } from "../core/clock.js";
import { FileFollower } from "./file-follower.js";

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

/**
 * Tails a growing file, like `tail -F`: reads what is there (or, with fromEnd, skips it), then polls for more. Survives
 * rotation by rename (NanoMQ's own: the old file is read to its end, then the new one from its start) and
 * truncation (copytruncate: read again from the start); see FileFollower. Polls on the given clock.
 */
export async function followFile(path: string, options: FollowOptions): Promise<void> {
  const clock = options.clock ?? realClock();
  const pollMs = options.pollMs ?? 200;
  const idleMs = options.idleMs ?? 1000;
  const follower = await FileFollower.open(path, { fromEnd: options.fromEnd });
  let quietSince = clock.now();
  let flushed = true;
  try {
    while (!options.signal.aborted) {
      if ((await follower.read(options.onLines)) > 0) {
        quietSince = clock.now();
        flushed = false;
      }
      if (!flushed && clock.now() - quietSince >= idleMs) {
        options.onIdle?.();
        flushed = true;
      }
      await clock.sleep(pollMs);
    }
    await follower.read(options.onLines);
  } finally {
    await follower.close(options.onLines);
  }
}
