import type { Clock, TimerHandle } from "../core/clock.js";

/**
 * Cancellable waits on the clock for a behaviour's script: `stop()` clears every pending timer (so nothing keeps
 * the process alive) and makes each pending and later `sleep` resolve false.
 */
export class ScriptTimer {
  private readonly pending = new Map<TimerHandle, () => void>();
  private stopped = false;

  constructor(private readonly clock: Clock) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Resolves true after `ms` clock ms, or false once stopped. */
  sleep(ms: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const handle = this.clock.setTimeout(() => {
        this.pending.delete(handle);
        resolve(!this.stopped);
      }, ms);
      this.pending.set(handle, () => resolve(false));
    });
  }

  /** Resolves true at clock time `at` (immediately if past), or false once stopped. */
  sleepUntil(at: number): Promise<boolean> {
    return this.sleep(Math.max(0, at - this.clock.now()));
  }

  stop(): void {
    this.stopped = true;
    for (const [handle, cancel] of this.pending) {
      this.clock.clear(handle);
      cancel();
    }
    this.pending.clear();
  }
}
