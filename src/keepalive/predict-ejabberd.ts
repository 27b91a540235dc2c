import {
  type DelayWindow,
  exactDelay,
  exactKick,
  idleTimerExpiry,
  type KickQuery,
  type KickWindow,
} from "./predict-types.js";

/**
 * ejabberd's mod_mqtt, measured on the real ejabberd 23.01 (Debian) and read in its source (processone/ejabberd
 * src/mod_mqtt_session.erl at tag 23.01). Each connection is its own process whose receive timeout is the
 * keepalive: `set_keep_alive/2` sets it to `round(KA * 1.5)` whole seconds at CONNECT (Erlang rounds halves away
 * from zero, so an odd KA gets ⌈1.5·KA⌉: 1 → 2 s, 3 → 5 s, 5 → 8 s), and `reset_keep_alive/1` restarts it whenever
 * the socket delivers bytes, even part of a packet. No tick, no sweep: the kick is exact, round(1.5·KA) s after
 * the last inbound bytes (measured: within 10 ms, 80 ms under load). Keepalive 0 is never checked. Before
 * CONNECT a fixed 30 s applies that no byte restarts (`init/1`, `timer:seconds(30)`; measured 30.0 s).
 */
export function ejabberdLimitMs(keepaliveMs: number): number | null {
  const ka = Math.floor(keepaliveMs / 1000);
  return ka > 0 ? Math.round(ka * 1.5) * 1000 : null;
}

/** No CONNECT within this long after the TCP accept: closed with a FIN, nothing sent, nothing logged at info. */
export const EJABBERD_NO_CONNECT_MS = 30_000;

export function ejabberdKickAt(query: KickQuery): number | null {
  const limit = ejabberdLimitMs(query.keepaliveMs);
  return limit === null ? null : idleTimerExpiry(query, limit);
}

export const ejabberdKickWindow = (query: KickQuery): KickWindow | null => exactKick(ejabberdKickAt(query));

export const ejabberdDelay = (keepaliveMs: number): DelayWindow | null =>
  exactDelay(ejabberdLimitMs(keepaliveMs));
