import { type DelayWindow, inboundTimeline, type KickQuery, type KickWindow } from "./predict-types.js";

/**
 * aedes, measured on the real aedes 1.2.0 here (docs/brokers.md: a silent client is closed with a FIN 1.5·KA after
 * its CONNECT, +1 to +55 ms, at KA 1, 2, 3 and 5 s) and read from its source: lib/handlers/connect.js
 * `setKeepAlive` arms a per-client `setTimeout` of `keepalive * 1500 + 1` ms at CONNECT, and lib/handlers/index.js
 * `refresh()`es it after each handled inbound packet (whole packets; a DISCONNECT closes instead). Exact: 1.5·KA +
 * 1 ms after the last packet; keepalive 0 never.
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
