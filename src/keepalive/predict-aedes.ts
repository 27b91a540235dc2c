import { type DelayWindow, inboundTimeline, type KickQuery, type KickWindow } from "./predict-types.js";

/**
 * aedes, from the broker's source, not run here (moscajs/aedes lib/handlers/connect.js `setKeepAlive`: a
 * per-client `setTimeout` of `keepalive * 1500 + 1` ms set at CONNECT; lib/handlers/index.js: each handled inbound
 * packet calls `_keepaliveTimer.refresh()`). Exact: 1.5·KA + 1 ms after the last packet; keepalive 0 never.
 */
export function aedesLimitMs(keepaliveMs: number): number | null {
  const ka = Math.floor(keepaliveMs / 1000);
  return ka > 0 ? ka * 1500 + 1 : null;
}

export function aedesKickAt(query: KickQuery): number | null {
  const limit = aedesLimitMs(query.keepaliveMs);
  if (limit === null) return null;
  const timeline = inboundTimeline(query);
  for (let i = 0; i < timeline.length; i++) {
    const kickAt = (timeline[i] ?? 0) + limit;
    const next = timeline[i + 1];
    if (next === undefined || kickAt <= next) return kickAt;
  }
  return null;
}

export function aedesKickWindow(query: KickQuery): KickWindow | null {
  const at = aedesKickAt(query);
  return at === null ? null : { earliestMs: at, latestMs: at, exact: true };
}

export function aedesDelay(keepaliveMs: number): DelayWindow | null {
  const limit = aedesLimitMs(keepaliveMs);
  return limit === null ? null : { minMs: limit, maxMs: limit, exact: true };
}
