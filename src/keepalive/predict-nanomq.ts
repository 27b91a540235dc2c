import type { ProfileOptions } from "../core/profile.js";
import {
  nanomqEnforces,
  nanomqFirstTickAfter,
  nanomqKickCounter,
  nanomqTickAt,
} from "./nanomq-arithmetic.js";
import {
  type FaultParams,
  faultyDelayAfterConnect,
  faultyDelayAfterLastPacket,
  faultyKickWindow,
} from "./predict-nanomq-fault.js";
import { type DelayWindow, inboundTimeline, type KickQuery, type KickWindow } from "./predict-types.js";
import { hasTickFault } from "./tick-fault.js";

type NanomqParams = Pick<
  ProfileOptions,
  "retryIntervalMs" | "keepaliveMultiplier" | "nanomqVersion" | "tickFault"
>;

/** The simulated tick fault's parameters, or undefined when there is none (or keepalive is not enforced). */
function faultParams(p: NanomqParams, n: number | null): FaultParams | undefined {
  if (n === null || !hasTickFault(p.tickFault)) return undefined;
  return { n, retryIntervalMs: p.retryIntervalMs, fault: p.tickFault };
}

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
  const faulty = faultParams(p, n);
  if (faulty) {
    const w = faultyKickWindow(faulty, query);
    if (!w.exact) throw new RangeError("nanomq with --tick-jitter: no exact kick time; use the kick window");
    return w.earliestMs;
  }
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

/**
 * The kick window: exact (a single instant) without a tick fault, or with drift alone; with a simulated jitter,
 * the earliest and latest kick over every draw (predict-nanomq-fault.ts).
 */
export function nanomqKickWindow(p: NanomqParams, query: KickQuery): KickWindow | null {
  const n = kickCounter(p, query.keepaliveMs);
  if (n === null) return null;
  const faulty = faultParams(p, n);
  if (faulty) return faultyKickWindow(faulty, query);
  const at = nanomqKickAt(p, query);
  return at === null ? null : { earliestMs: at, latestMs: at, exact: true };
}

/** d + Q·(⌊KA·M/Q⌋+1), d ∈ (0, Q]: after the last packet. */
export function nanomqDelayAfterLastPacket(p: NanomqParams, keepaliveMs: number): DelayWindow | null {
  const n = kickCounter(p, keepaliveMs);
  if (n === null) return null;
  const faulty = faultParams(p, n);
  if (faulty) return faultyDelayAfterLastPacket(faulty);
  return { minMs: n * p.retryIntervalMs, maxMs: (n + 1) * p.retryIntervalMs, exact: false };
}

/** 1.5·Q + Q·(⌊KA·M/Q⌋+1): a client silent since its CONNECT. */
export function nanomqDelayAfterConnect(p: NanomqParams, keepaliveMs: number): DelayWindow | null {
  const n = kickCounter(p, keepaliveMs);
  if (n === null) return null;
  const faulty = faultParams(p, n);
  if (faulty) return faultyDelayAfterConnect(faulty);
  const at = nanomqTickAt(0, p.retryIntervalMs, n);
  return { minMs: at, maxMs: at, exact: true };
}
