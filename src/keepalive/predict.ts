import type { ProfileOptions } from "../core/profile.js";
import { mosquittoDelayAfterLastPacket, mosquittoKickAt, mosquittoKickWindow } from "./predict-mosquitto.js";
import {
  nanomqDelayAfterConnect,
  nanomqDelayAfterLastPacket,
  nanomqKickAt,
  nanomqKickWindow,
} from "./predict-nanomq.js";
import { specDelay, specKickAt } from "./predict-spec.js";
import type { DelayWindow, KickQuery, KickWindow } from "./predict-types.js";

/**
 * Pure predictions of each profile's keepalive model: the same arithmetic the runtime models use
 * (nanomq-arithmetic.ts, mosquitto-arithmetic.ts, spec-arithmetic.ts). `null` = never kicked.
 */
export type KeepaliveParams = Pick<
  ProfileOptions,
  "profile" | "retryIntervalMs" | "keepaliveMultiplier" | "nanomqVersion" | "tickFault"
>;

/**
 * The exact kick time (clock ms). mosquitto needs `sweepPhaseMs`, and nanomq with a simulated --tick-jitter has
 * none (it throws RangeError); use predictKickWindow for those.
 */
export function predictKickAt(p: KeepaliveParams, query: KickQuery): number | null {
  switch (p.profile) {
    case "nanomq":
      return nanomqKickAt(p, query);
    case "spec":
      return specKickAt(query);
    case "mosquitto": {
      const sweepPhaseMs = query.sweepPhaseMs;
      if (sweepPhaseMs === undefined) throw new RangeError("mosquitto: predictKickAt needs sweepPhaseMs");
      return mosquittoKickAt({ ...query, sweepPhaseMs });
    }
  }
}

/**
 * Where the kick can fall when the tick/sweep phase is unknown (exact for spec, and for nanomq unless a simulated
 * --tick-jitter widens it).
 */
export function predictKickWindow(p: KeepaliveParams, query: KickQuery): KickWindow | null {
  if (p.profile === "mosquitto" && query.sweepPhaseMs === undefined) return mosquittoKickWindow(query);
  if (p.profile === "nanomq") return nanomqKickWindow(p, query);
  const at = predictKickAt(p, query);
  return at === null ? null : { earliestMs: at, latestMs: at, exact: true };
}

/** The kick delay after the last inbound packet of a client that then goes silent, phase unknown. */
export function kickDelayAfterLastPacket(p: KeepaliveParams, keepaliveMs: number): DelayWindow | null {
  switch (p.profile) {
    case "nanomq":
      return nanomqDelayAfterLastPacket(p, keepaliveMs);
    case "mosquitto":
      return mosquittoDelayAfterLastPacket(keepaliveMs);
    case "spec":
      return specDelay(keepaliveMs);
  }
}

/** The kick delay after CONNECT of a client silent from the start (nanomq: exact, its ticks start at CONNECT). */
export function kickDelayAfterConnect(p: KeepaliveParams, keepaliveMs: number): DelayWindow | null {
  if (p.profile === "nanomq") return nanomqDelayAfterConnect(p, keepaliveMs);
  return kickDelayAfterLastPacket(p, keepaliveMs);
}

/**
 * The largest gap between inbound packets that is NEVER kicked, whatever the tick or sweep phase: every shorter
 * gap survives; for nanomq (N·Q, or N·Q′ under a simulated tick drift) and mosquitto (L s) a gap of exactly this survives too, for spec the deadline
 * fires at exactly 1.5 × keepalive. Infinity when keepalive is not enforced.
 */
export function largestSafeIntervalMs(p: KeepaliveParams, keepaliveMs: number): number {
  return kickDelayAfterLastPacket(p, keepaliveMs)?.minMs ?? Number.POSITIVE_INFINITY;
}

/** The smallest gap that is ALWAYS kicked, whatever the phase: every gap this long or longer is kicked. */
export function smallestAlwaysKickedIntervalMs(p: KeepaliveParams, keepaliveMs: number): number {
  return kickDelayAfterLastPacket(p, keepaliveMs)?.maxMs ?? Number.POSITIVE_INFINITY;
}
