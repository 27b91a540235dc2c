import {
  MOSQUITTO_SWEEP_INTERVAL_MS,
  mosquittoEarliestKickAt,
  mosquittoEnforces,
  mosquittoFirstSweepFrom,
  mosquittoLimitSeconds,
  mosquittoSweepAt,
} from "./mosquitto-arithmetic.js";
import { type DelayWindow, inboundTimeline, type KickQuery, type KickWindow } from "./predict-types.js";

/** Exact, given the sweep phase (the time of one sweep, normally a whole second): the first sweep at or after the earliest kickable second of some gap. */
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

/** A closed span of 6 whole seconds always holds one sweep: from its earliest kickable second, at most 5 s. */
const MAX_SWEEP_WAIT_MS = MOSQUITTO_SWEEP_INTERVAL_MS - 1000;

/**
 * Sweep phase unknown (sweeps on whole seconds): earliest = the first gap in which some phase kicks (a sweep
 * right at its earliest kickable second); latest = 5 s after the earliest kickable second of the first gap that
 * every phase kicks in.
 */
export function mosquittoKickWindow(query: KickQuery): KickWindow | null {
  if (!mosquittoEnforces(query.keepaliveMs)) return null;
  const timeline = inboundTimeline(query);
  let earliestMs: number | undefined;
  for (let i = 0; i < timeline.length; i++) {
    const earliest = mosquittoEarliestKickAt(timeline[i] ?? 0, query.keepaliveMs);
    const next = timeline[i + 1] ?? Number.POSITIVE_INFINITY;
    if (earliest <= next) earliestMs ??= earliest;
    if (next - earliest >= MAX_SWEEP_WAIT_MS) {
      return {
        earliestMs: earliestMs ?? earliest,
        latestMs: earliest + MAX_SWEEP_WAIT_MS,
        exact: false,
      };
    }
  }
  return null;
}

/**
 * (L, L + 6] s, L = keepalive_s*3/2 in integer arithmetic: the earliest kickable second comes (L, L + 1] s after
 * the packet, and the sweep up to 5 s after that.
 */
export function mosquittoDelayAfterLastPacket(keepaliveMs: number): DelayWindow | null {
  if (!mosquittoEnforces(keepaliveMs)) return null;
  const limitMs = mosquittoLimitSeconds(keepaliveMs) * 1000;
  return { minMs: limitMs, maxMs: limitMs + 1000 + MAX_SWEEP_WAIT_MS, exact: false };
}
