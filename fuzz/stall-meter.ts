/**
 * How long this process's event loop was stalled in a window of real time: a 5 ms ticker's lateness. The fuzzer
 * and the embedded broker share one process on a shared 2-core machine, where the whole process can be held for
 * hundreds of ms (measured: a close 370 ms after the last write at load average 6.6, on a broker that closes in
 * the same call that reads the packet). A close is judged on its latency less the stall in its window.
 */
const PERIOD_MS = 5;
/** Ticks kept: ~10 s at 5 ms, longer than any window asked about (a fuzz connection lives < 1 s). */
const KEPT = 2048;

export class StallMeter {
  private readonly ticks = new Float64Array(KEPT);
  private count = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): this {
    this.tick();
    this.timer = setInterval(() => this.tick(), PERIOD_MS);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    this.ticks[this.count % KEPT] = performance.now();
    this.count++;
  }

  /** Ms of (from, to] the loop spent stalled: every gap between ticks longer than the period, by its excess. */
  stalledMs(from: number, to: number): number {
    if (this.count === 0) return 0;
    let stalled = 0;
    let later = to; // the gap from the last tick to `to` is still open: no tick has ended it yet
    for (let i = this.count - 1; i >= 0 && i > this.count - KEPT; i--) {
      const at = this.ticks[i % KEPT] ?? 0;
      if (later <= from) break;
      const excess = later - at - PERIOD_MS;
      const overlap = Math.min(later, to) - Math.max(at, from);
      if (excess > 0 && overlap > 0) stalled += Math.min(excess, overlap);
      later = at;
    }
    return stalled;
  }
}
