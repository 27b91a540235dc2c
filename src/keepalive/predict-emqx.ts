import {
  EMQX_DEFAULTS,
  emqxCheckIntervalMs,
  emqxEnforces,
  emqxIdleChecks,
  emqxMaxIdleMs,
} from "./emqx-arithmetic.js";
import type { DelayWindow, KickQuery, KickWindow } from "./predict-types.js";

/**
 * EMQX 5.7.2 and later, from the broker's source, not run (emqx-arithmetic.ts has the rule and where it was read).
 * Ticks every I from the last timer start (CONNECT or a PINGREQ); the k-th idle check in a row kicks
 * (k = ceil(ceil(KA·M)/I)).
 */
export interface EmqxParams {
  /** `mqtt.keepalive_multiplier` as EMQX ends up with it (emqxEffectiveMultiplier). */
  multiplier: number;
  /** `mqtt.keepalive_check_interval`, ms, before the clamp. */
  checkIntervalMs: number;
}

export const EMQX_DEFAULT_PARAMS: EmqxParams = {
  multiplier: EMQX_DEFAULTS.multiplier,
  checkIntervalMs: EMQX_DEFAULTS.checkIntervalMs,
};

/** A KickQuery that also says which inbound packets were PINGREQs: only those restart EMQX's check timer. */
export interface EmqxKickQuery extends KickQuery {
  /** Times of the inbound PINGREQs (a time also in inboundAt is the same packet). */
  pingreqAt?: readonly number[];
}

interface Inbound {
  at: number;
  ping: boolean;
}

function emqxTimeline(query: EmqxKickQuery): Inbound[] {
  const connectAt = query.connectAt ?? 0;
  const pings = new Set((query.pingreqAt ?? []).filter((t) => t >= connectAt));
  const others = (query.inboundAt ?? []).filter((t) => t >= connectAt && !pings.has(t));
  const packets = [
    ...[...pings].map((at) => ({ at, ping: true })),
    ...others.map((at) => ({ at, ping: false })),
  ];
  // The CONNECT starts the timer like a PINGREQ does (the counter is read after it).
  return [{ at: connectAt, ping: true }, ...packets.sort((a, b) => a.at - b.at)];
}

/** I and k for this keepalive, or null when it is not checked. */
export function emqxSchedule(
  p: EmqxParams,
  keepaliveMs: number,
): { intervalMs: number; checks: number } | null {
  if (!emqxEnforces(keepaliveMs)) return null;
  const intervalMs = emqxCheckIntervalMs(p.checkIntervalMs, keepaliveMs);
  return { intervalMs, checks: emqxIdleChecks(intervalMs, emqxMaxIdleMs(keepaliveMs, p.multiplier)) };
}

/**
 * Exact: after a PINGREQ (or the CONNECT) at t the kick is t + k·I; after any other packet at t, the first check
 * strictly after t sees it and resets the idle time, and k·I after that check it kicks.
 */
export function emqxKickAt(p: EmqxParams, query: EmqxKickQuery): number | null {
  const schedule = emqxSchedule(p, query.keepaliveMs);
  if (schedule === null) return null;
  const { intervalMs, checks } = schedule;
  const timeline = emqxTimeline(query);
  let anchor = timeline[0]?.at ?? 0;
  for (let i = 0; i < timeline.length; i++) {
    const packet = timeline[i] as Inbound;
    let sawIt = packet.at;
    if (packet.ping) anchor = packet.at;
    else sawIt = anchor + (Math.floor((packet.at - anchor) / intervalMs) + 1) * intervalMs;
    const kickAt = sawIt + checks * intervalMs;
    const next = timeline[i + 1];
    if (next === undefined || kickAt <= next.at) return kickAt;
  }
  return null;
}

export function emqxKickWindow(p: EmqxParams, query: EmqxKickQuery): KickWindow | null {
  const at = emqxKickAt(p, query);
  return at === null ? null : { earliestMs: at, latestMs: at, exact: true };
}

/**
 * After the last packet, phase unknown: k·I ≤ delay ≤ (k+1)·I — exactly k·I after a PINGREQ, (k·I, (k+1)·I] after
 * any other packet. So a gap of k·I survives after a PUBLISH but not after a PINGREQ.
 */
export function emqxDelayAfterLastPacket(p: EmqxParams, keepaliveMs: number): DelayWindow | null {
  const s = emqxSchedule(p, keepaliveMs);
  return s && { minMs: s.checks * s.intervalMs, maxMs: (s.checks + 1) * s.intervalMs, exact: false };
}

/** Exactly k·I after the last PINGREQ (or after CONNECT for a client silent from the start). */
export function emqxDelayAfterPing(p: EmqxParams, keepaliveMs: number): DelayWindow | null {
  const s = emqxSchedule(p, keepaliveMs);
  return s && { minMs: s.checks * s.intervalMs, maxMs: s.checks * s.intervalMs, exact: true };
}
