import {
  MOSQUITTO_SWEEP_INTERVAL_MS,
  mosquittoEarliestKickAt,
  mosquittoEnforces,
  mosquittoFirstSweepFrom,
  mosquittoLimitSeconds,
  mosquittoSweepAt,
} from "./mosquitto-arithmetic.js";
import { type DelayWindow, inboundTimeline, type KickQuery, type KickWindow } from "./predict-types.js";

/** Exact, given the sweep phase: the first sweep at or after the earliest kickable second of some gap. */
export function mosquittoKickAt(query: KickQuery & { sweepPhaseMs: number }): number | null {
  if (!mosquittoEnforces(query.keepaliveMs)) return null;
  const timeline = inboundTimeline(query);
  for (let i = 0; i < timeline.length; i++) {
    const earliest = mosquittoEarliestKickAt(timeline[i] ?? 0, query.keepaliveMs);
    const kickAt = mosquittoSweepAt(
      query.sweepPhaseMs,
      mosquittoFirstSweepFrom(query.sweepPhaseMs, earliest),
    );
    const next = timeline[i + 1];
    if (next === undefined || kickAt <= next) return kickAt;
  }
  return null;
}

/**
 * Sweep phase unknown: earliest = the first gap in which some phase kicks (a sweep right at its earliest
 * kickable second); latest (exclusive) = 6 s after the earliest kickable second of the first gap that every
 * phase kicks in (a gap of at least 6 s past that second always contains a sweep).
 */
export function mosquittoKickWindow(query: KickQuery): KickWindow | null {
  if (!mosquittoEnforces(query.keepaliveMs)) return null;
  const timeline = inboundTimeline(query);
  let earliestMs: number | undefined;
  for (let i = 0; i < timeline.length; i++) {
    const earliest = mosquittoEarliestKickAt(timeline[i] ?? 0, query.keepaliveMs);
    const next = timeline[i + 1] ?? Number.POSITIVE_INFINITY;
    if (earliest <= next) earliestMs ??= earliest;
    if (next - earliest >= MOSQUITTO_SWEEP_INTERVAL_MS) {
      return {
        earliestMs: earliestMs ?? earliest,
        latestMs: earliest + MOSQUITTO_SWEEP_INTERVAL_MS,
        exact: false,
      };
    }
  }
  return null;
}

/** (L, L + 1 + 6] s shaped: minMs < delay < maxMs, L = keepalive_s*3/2 in integer arithmetic. */
export function mosquittoDelayAfterLastPacket(keepaliveMs: number): DelayWindow | null {
  if (!mosquittoEnforces(keepaliveMs)) return null;
  const limitMs = mosquittoLimitSeconds(keepaliveMs) * 1000;
  return { minMs: limitMs, maxMs: limitMs + 1000 + MOSQUITTO_SWEEP_INTERVAL_MS, exact: false };
}
