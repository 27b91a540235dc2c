/**
 * EMQX 5's keepalive arithmetic, from the broker's source, not run (EMQX cannot be installed here). One place for
 * the predictions (predict-emqx.ts, predict-emqx-legacy.ts) and `mqdiag config` (emqx.conf).
 *
 * Three eras, read in emqx/emqx apps/emqx/src:
 * - since 5.7.2 (emqx_keepalive.erl `keepalive_params/2`, `check/2`): a per-connection check every
 *   I = clamp(keepalive_check_interval, 1 s, max(KA/2, 1 s)) (`emqx_utils:clamp(CheckInterval, 1000,
 *   max(MilliSeconds div 2, 1000))`) on the inbound-packet counter (`recv_pkt`); an idle check adds I to the idle
 *   time, a check that sees new packets sets it to 0, and the check at which idle + I ≥ ceil(KA·M) kicks
 *   (`IdleAcc + Interval >= Max`). A PINGREQ runs the check at once and restarts the timer
 *   (emqx_channel.erl `handle_in(?PACKET(?PINGREQ), …)`: `emqx_keepalive:check/1` then `reset_timer(keepalive, …)`).
 * - 5.0.26 – 5.7.1 (emqx_keepalive.erl `check/2`: `check(Val, #keepalive{statval = Val}) -> {error, timeout}`;
 *   emqx_channel.erl `ensure_keepalive_timer/2`): one timer of round(KA·M) from CONNECT; it kicks when the packet
 *   counter has not moved since the previous fire — 1× to 2× KA·M after the last packet (emqx#11685).
 * - 5.0.0 – 5.0.25 (emqx_keepalive.erl `check/2` with `repeat`): a timer of round(KA·keepalive_backoff) on the
 *   inbound BYTE counter (`incoming_bytes`); it kicks at the second fire in a row that sees no new bytes.
 * Keepalive 0 is never checked (`init(_Zone, _, 0) -> undefined`).
 */

/** emqx_schema.erl `?DEFAULT_MULTIPLIER` / `?DEFAULT_BACKOFF`, and `keepalive_check_interval`'s default `30s`. */
export const EMQX_DEFAULTS = { multiplier: 1.5, backoff: 0.75, checkIntervalMs: 30_000 } as const;

/** emqx_schema.erl `validate_keepalive_multiplier/1`: a multiplier outside [1, 65535] is refused. */
export const EMQX_MULTIPLIER_RANGE = { min: 1, max: 65_535 } as const;

export function emqxEnforces(keepaliveMs: number): boolean {
  return Math.floor(keepaliveMs / 1000) > 0;
}

/** The check interval I: clamp(configured, 1000, max(KA_ms div 2, 1000)). */
export function emqxCheckIntervalMs(configuredMs: number, keepaliveMs: number): number {
  const upper = Math.max(Math.floor(keepaliveMs / 2), 1000);
  return Math.min(Math.max(configuredMs, 1000), upper);
}

/** The allowed idle time: `ceil(MilliSeconds * Mul)` — IEEE arithmetic as in Erlang (3 s × 1.1 → 3301 ms). */
export function emqxMaxIdleMs(keepaliveMs: number, multiplier: number): number {
  return Math.ceil(keepaliveMs * multiplier);
}

/** k: the idle checks in a row that kick, the smallest k with k·I ≥ max idle. */
export function emqxIdleChecks(checkIntervalMs: number, maxIdleMs: number): number {
  return Math.max(1, Math.ceil(maxIdleMs / checkIntervalMs));
}

/**
 * The multiplier EMQX ends up with (emqx_schema.erl `mqtt_converter/2`): a multiplier set to anything but 1.5 wins;
 * a multiplier of exactly 1.5 (compared as round(M·100)) or none falls back to 2 × keepalive_backoff when that is
 * set (so `keepalive_backoff` silently beats an explicit `keepalive_multiplier = 1.5`).
 */
export function emqxEffectiveMultiplier(multiplier: number | undefined, backoff: number | undefined): number {
  if (multiplier !== undefined && Math.round(multiplier * 100) !== Math.round(EMQX_DEFAULTS.multiplier * 100))
    return multiplier;
  if (backoff !== undefined) return backoff * 2;
  return multiplier ?? EMQX_DEFAULTS.multiplier;
}

/** 5.0.26 – 5.7.1: the one timer's period, `round(timer:seconds(Interval) * Multiplier)` ms. */
export function emqxLegacyPeriodMs(keepaliveMs: number, multiplier: number): number {
  return Math.round(keepaliveMs * multiplier);
}
