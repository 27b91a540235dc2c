import { EMQX_DEFAULTS, emqxEnforces, emqxLegacyPeriodMs } from "./emqx-arithmetic.js";
import { type DelayWindow, inboundTimeline, type KickQuery, type KickWindow } from "./predict-types.js";

/**
 * EMQX before 5.7.2, from the broker's source, not run (emqx-arithmetic.ts has where each rule was read): one timer
 * of period P from CONNECT that kicks at the n-th fire in a row that sees nothing new.
 * - `emqx-5.0.26`: 5.0.26 – 5.7.1, P = round(KA·keepalive_multiplier), n = 1, packets counted.
 * - `emqx-5.0`: 5.0.0 – 5.0.25, P = round(KA·keepalive_backoff), n = 2, bytes counted (any inbound packet moves it).
 */
export type EmqxLegacyParams =
  | { era: "emqx-5.0.26"; multiplier: number }
  | { era: "emqx-5.0"; backoff: number };

export const EMQX_LEGACY_DEFAULTS = {
  "emqx-5.0.26": { era: "emqx-5.0.26", multiplier: EMQX_DEFAULTS.multiplier },
  "emqx-5.0": { era: "emqx-5.0", backoff: EMQX_DEFAULTS.backoff },
} as const satisfies Record<EmqxLegacyParams["era"], EmqxLegacyParams>;

function periodAndFires(
  p: EmqxLegacyParams,
  keepaliveMs: number,
): { periodMs: number; fires: number } | null {
  if (!emqxEnforces(keepaliveMs)) return null;
  return p.era === "emqx-5.0.26"
    ? { periodMs: emqxLegacyPeriodMs(keepaliveMs, p.multiplier), fires: 1 }
    : { periodMs: emqxLegacyPeriodMs(keepaliveMs, p.backoff), fires: 2 };
}

/**
 * Exact: fire j is at connect + j·P and kicks when no packet came in [fire j−n, fire j) (a packet at a fire's instant
 * is read after it). The CONNECT itself is read before the counter is taken, so a silent client goes at fire n.
 */
export function emqxLegacyKickAt(p: EmqxLegacyParams, query: KickQuery): number | null {
  const pf = periodAndFires(p, query.keepaliveMs);
  if (pf === null) return null;
  const timeline = inboundTimeline(query);
  const connectAt = timeline[0] ?? 0;
  for (let i = 0; i < timeline.length; i++) {
    const at = timeline[i] ?? connectAt;
    // the first fire whose window no longer holds this packet: fire m+n, m = first fire index strictly after it
    const m = i === 0 ? 0 : Math.floor((at - connectAt) / pf.periodMs) + 1;
    const kickAt = connectAt + (m + pf.fires) * pf.periodMs;
    const next = timeline[i + 1];
    if (next === undefined || kickAt <= next) return kickAt;
  }
  return null;
}

export function emqxLegacyKickWindow(p: EmqxLegacyParams, query: KickQuery): KickWindow | null {
  const at = emqxLegacyKickAt(p, query);
  return at === null ? null : { earliestMs: at, latestMs: at, exact: true };
}

/** (n·P, (n+1)·P] after the last packet: 5.0.26 – 5.7.1 at the defaults, (1.5, 3] × KA. */
export function emqxLegacyDelayAfterLastPacket(p: EmqxLegacyParams, keepaliveMs: number): DelayWindow | null {
  const pf = periodAndFires(p, keepaliveMs);
  return pf && { minMs: pf.fires * pf.periodMs, maxMs: (pf.fires + 1) * pf.periodMs, exact: false };
}

/** Exactly n·P after CONNECT for a client silent from the start. */
export function emqxLegacyDelayAfterConnect(p: EmqxLegacyParams, keepaliveMs: number): DelayWindow | null {
  const pf = periodAndFires(p, keepaliveMs);
  return pf && { minMs: pf.fires * pf.periodMs, maxMs: pf.fires * pf.periodMs, exact: true };
}
