import { type DelayWindow, exactDelay, idleTimerExpiry, type KickQuery } from "./predict-types.js";
import { specEnforces, specLimitMs } from "./spec-arithmetic.js";

/** Exact: 1.5 × keepalive after the last packet before the first gap that long. */
export function specKickAt(query: KickQuery): number | null {
  return specEnforces(query.keepaliveMs) ? idleTimerExpiry(query, specLimitMs(query.keepaliveMs)) : null;
}

export function specDelay(keepaliveMs: number): DelayWindow | null {
  return exactDelay(specEnforces(keepaliveMs) ? specLimitMs(keepaliveMs) : null);
}
