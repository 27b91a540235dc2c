import { round } from "../core/round.js";

/** The spec's limit: no inbound packet for 1.5 × keepalive → disconnect [MQTT-3.1.2-24] (3.1.1). */
export const SPEC_MULTIPLIER = 1.5;
/** A kick later than 1.5 × keepalive + this many seconds warns (dead clients linger, wills come late). */
export const LATE_TOLERANCE_S = 2;
/**
 * How early a kick may come and still be explained by a broker that keeps last-activity time in whole seconds.
 * Such a broker cannot tell 1.0 s from 1.99 s: mosquitto 2.0 stores whole-second timestamps and compares
 * `now - last > keepalive*3/2` in integer arithmetic, so a keepalive-1 client can go just over 1.0 s after its
 * last packet (measured against the real mosquitto 2.0.11). Such a kick is still early — never a pass — but a
 * `warn` (`early-whole-second`); a kick earlier than this below 1.5 × keepalive is a `fail` (`early-kick`).
 */
export const TIMESTAMP_RESOLUTION_S = 1;

/** Where one kick falls against the spec window [MQTT-3.1.2-24] (3.1.1) / [MQTT-3.1.2-22] (5.0). */
export type KickTiming = "too-early" | "whole-second-early" | "on-time" | "late";

export const specLimitS = (keepalive: number): number => SPEC_MULTIPLIER * keepalive;

/**
 * Classifies a kick `kickAfter` seconds after the session's last packet. The measurement can only overstate the
 * delay (the clock starts before the CONNECT leaves and stops after the close arrives), so no slack is added.
 */
export function kickTiming(keepalive: number, kickAfter: number): KickTiming {
  const limit = specLimitS(keepalive);
  if (kickAfter < limit - TIMESTAMP_RESOLUTION_S) return "too-early";
  if (kickAfter < limit) return "whole-second-early";
  if (kickAfter > limit + LATE_TOLERANCE_S) return "late";
  return "on-time";
}

/** The earliest kick against its own limit: what the early findings quote. */
export interface EarliestKick {
  keepalive: number;
  kickAfter: number;
  /** 1.5 × keepalive (s). */
  limit: number;
  /** limit − kickAfter (s), > 0. */
  early: number;
}

export function earliestKick(
  kicks: readonly { keepalive: number; kickAfter: number }[],
): EarliestKick | null {
  let best: EarliestKick | null = null;
  for (const k of kicks) {
    const limit = specLimitS(k.keepalive);
    const early = limit - k.kickAfter;
    if (early > 0 && (best === null || early > best.early)) {
      best = {
        keepalive: k.keepalive,
        kickAfter: k.kickAfter,
        limit: round(limit, 3),
        early: round(early, 3),
      };
    }
  }
  return best;
}
