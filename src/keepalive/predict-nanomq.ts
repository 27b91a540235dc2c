import type { ProfileOptions } from "../core/profile.js";
import {
  nanomqEnforces,
  nanomqFirstTickAfter,
  nanomqKickCounter,
  nanomqTickAt,
} from "./nanomq-arithmetic.js";
import { type DelayWindow, inboundTimeline, type KickQuery } from "./predict-types.js";

type NanomqParams = Pick<ProfileOptions, "retryIntervalMs" | "keepaliveMultiplier" | "nanomqVersion">;

/** N = ⌊KA·M/Q⌋ + 1 idle ticks, or null when keepalive is not enforced. */
function kickCounter(p: NanomqParams, keepaliveMs: number): number | null {
  if (!nanomqEnforces(keepaliveMs, p.nanomqVersion)) return null;
  return nanomqKickCounter(p.retryIntervalMs, keepaliveMs, p.keepaliveMultiplier);
}

/**
 * The exact kick time: after each inbound packet (n = 0) the first tick strictly after it evaluates n = 0, and
 * the tick N·Q later kicks unless another packet arrives first.
 */
export function nanomqKickAt(p: NanomqParams, query: KickQuery): number | null {
  const n = kickCounter(p, query.keepaliveMs);
  if (n === null) return null;
  const q = p.retryIntervalMs;
  const timeline = inboundTimeline(query);
  const connectAt = timeline[0] ?? 0;
  for (let i = 0; i < timeline.length; i++) {
    const at = timeline[i] ?? connectAt;
    const kickAt = nanomqTickAt(connectAt, q, nanomqFirstTickAfter(connectAt, q, at) + n);
    const next = timeline[i + 1];
    if (next === undefined || kickAt <= next) return kickAt;
  }
  return null;
}

/** d + Q·(⌊KA·M/Q⌋+1), d ∈ (0, Q]: after the last packet. */
export function nanomqDelayAfterLastPacket(p: NanomqParams, keepaliveMs: number): DelayWindow | null {
  const n = kickCounter(p, keepaliveMs);
  if (n === null) return null;
  return { minMs: n * p.retryIntervalMs, maxMs: (n + 1) * p.retryIntervalMs, exact: false };
}

/** 1.5·Q + Q·(⌊KA·M/Q⌋+1): a client silent since its CONNECT. */
export function nanomqDelayAfterConnect(p: NanomqParams, keepaliveMs: number): DelayWindow | null {
  const n = kickCounter(p, keepaliveMs);
  if (n === null) return null;
  const at = nanomqTickAt(0, p.retryIntervalMs, n);
  return { minMs: at, maxMs: at, exact: true };
}
