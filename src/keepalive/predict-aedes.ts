import {
  type DelayWindow,
  exactDelay,
  exactKick,
  idleTimerExpiry,
  type KickQuery,
  type KickWindow,
} from "./predict-types.js";

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
  return limit === null ? null : idleTimerExpiry(query, limit);
}

export const aedesKickWindow = (query: KickQuery): KickWindow | null => exactKick(aedesKickAt(query));

export const aedesDelay = (keepaliveMs: number): DelayWindow | null => exactDelay(aedesLimitMs(keepaliveMs));
