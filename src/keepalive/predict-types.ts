/** Inputs and outputs of the pure keepalive predictions (predict.ts). All times are clock ms. */
export interface KickQuery {
  /** The client's keepalive in ms (0 = off). */
  keepaliveMs: number;
  /** When the CONNECT was accepted (the broker's watch() time). Default 0. */
  connectAt?: number;
  /** Times of the inbound packets after the CONNECT, any order. Packets at the same instant as a tick, sweep or
   * deadline are handled after it (as on the runtime clock, where due timers fire first). */
  inboundAt?: readonly number[];
  /** mosquitto only: the time of its broker-wide sweep's first run (sweeps at phase + j·6 s, j ≥ 0); the runtime
   * model's is `sweepPhaseMs()`, the whole second after its first watch(). */
  sweepPhaseMs?: number;
}

/** Absolute kick time bounds: earliestMs ≤ kick ≤ latestMs (both equal when the model is exact). */
export interface KickWindow {
  earliestMs: number;
  latestMs: number;
  exact: boolean;
}

/**
 * Bounds of a kick delay (after the last inbound packet, or after CONNECT for a client silent from the start):
 * exact → delay = minMs = maxMs; otherwise minMs < delay ≤ maxMs (nanomq: the wait for the next tick,
 * d ∈ (0, Q]; mosquitto: the 1-s resolution and the sweep phase).
 */
export interface DelayWindow {
  minMs: number;
  maxMs: number;
  exact: boolean;
}

/** The inbound history as one sorted list starting with the CONNECT. */
export function inboundTimeline(query: KickQuery): number[] {
  const connectAt = query.connectAt ?? 0;
  const after = [...(query.inboundAt ?? [])].filter((t) => t >= connectAt).sort((a, b) => a - b);
  return [connectAt, ...after];
}

/**
 * An idle timer of `limitMs` that every inbound packet restarts (spec, aedes, ejabberd, HiveMQ): when it first runs
 * out — `limitMs` after the last packet before the first gap that long (CONNECT first).
 */
export function idleTimerExpiry(query: KickQuery, limitMs: number): number {
  const timeline = inboundTimeline(query);
  for (let i = 0; i < timeline.length; i++) {
    const at = (timeline[i] ?? 0) + limitMs;
    const next = timeline[i + 1];
    if (next === undefined || at <= next) return at;
  }
  return (timeline[timeline.length - 1] ?? 0) + limitMs;
}

/** A kick at exactly `at` (null: never). */
export const exactKick = (at: number | null): KickWindow | null =>
  at === null ? null : { earliestMs: at, latestMs: at, exact: true };

/** A delay of exactly `limitMs` after the last packet (null: never kicked). */
export const exactDelay = (limitMs: number | null): DelayWindow | null =>
  limitMs === null ? null : { minMs: limitMs, maxMs: limitMs, exact: true };
