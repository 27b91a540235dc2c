import type { Rand } from "../core/prng.js";
import { activeAt } from "./types.js";
import type { WayFaults } from "./way-faults.js";

/**
 * When each piece of one way's stream is due, on the clock. Pure arithmetic, no timers:
 *   data:  arrival + extra (a delayed packet) + latency ± jitter, then through the bandwidth limit (a piece
 *          occupies the wire for bytes / rate after the previous one left it), and never before the piece
 *          ahead of it — TCP never reorders, so jitter only bunches pieces up, it never swaps them;
 *   close: arrival + latency + slow-close delay, and never before the data ahead of it.
 * Faults are read at the arrival time (`since`, ms since the link started). Stalls are not here: they hold
 * pieces at the exit (gate.ts), whatever their due time.
 */
export class Schedule {
  private lastDue = Number.NEGATIVE_INFINITY;
  private wireFreeAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly faults: WayFaults,
    private readonly rand: Rand,
  ) {}

  dataDue(at: number, since: number, bytes: number, extraMs = 0): number {
    let due = at + extraMs + this.latency(since, true);
    let rate = Number.POSITIVE_INFINITY;
    for (const b of this.faults.bandwidth) if (activeAt(b, since)) rate = Math.min(rate, b.bytesPerSecond);
    if (rate < Number.POSITIVE_INFINITY) {
      due = Math.max(due, this.wireFreeAt) + (bytes * 1000) / rate;
      this.wireFreeAt = due;
    }
    return this.order(due);
  }

  closeDue(at: number, since: number): number {
    let due = at + this.latency(since, false);
    for (const s of this.faults.slowClose) if (activeAt(s, since)) due += s.delayMs;
    return this.order(due);
  }

  private latency(since: number, jitter: boolean): number {
    let ms = 0;
    for (const l of this.faults.latency) {
      if (!activeAt(l, since)) continue;
      const j = jitter && l.jitterMs ? (2 * this.rand() - 1) * l.jitterMs : 0;
      ms += Math.max(0, l.latencyMs + j);
    }
    return ms;
  }

  private order(due: number): number {
    this.lastDue = Math.max(this.lastDue, due);
    return this.lastDue;
  }
}
