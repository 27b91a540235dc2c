import { type DelayWindow, inboundTimeline, type KickQuery } from "./predict-types.js";
import { specEnforces, specLimitMs } from "./spec-arithmetic.js";

/** Exact: 1.5 × keepalive after the last packet before the first gap that long. */
export function specKickAt(query: KickQuery): number | null {
  if (!specEnforces(query.keepaliveMs)) return null;
  const limitMs = specLimitMs(query.keepaliveMs);
  const timeline = inboundTimeline(query);
  for (let i = 0; i < timeline.length; i++) {
    const kickAt = (timeline[i] ?? 0) + limitMs;
    const next = timeline[i + 1];
    if (next === undefined || kickAt <= next) return kickAt;
  }
  return null;
}

export function specDelay(keepaliveMs: number): DelayWindow | null {
  if (!specEnforces(keepaliveMs)) return null;
  const limitMs = specLimitMs(keepaliveMs);
  return { minMs: limitMs, maxMs: limitMs, exact: true };
}
