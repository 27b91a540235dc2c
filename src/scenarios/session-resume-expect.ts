import { brokerProfile } from "../broker/profiles/broker-profile.js";
import type { ProfileOptions } from "../core/profile.js";
import { tickSchedule } from "../keepalive/tick-fault.js";
import type { Qos } from "./session-options.js";

/**
 * How many of `n` messages published while a subscriber was away the profile delivers within `waitMs` of its
 * resume, from the profile's session policy (src/broker/sessions/session-policy.ts, measured on the real brokers):
 * nothing for a clean session or QoS 0 (none of them queues QoS 0); spec and mosquitto all of them at once;
 * NanoMQ 0.25.3 one per tick of the resumed pipe (1.5 × Q after the CONNECT, then every Q: 3 of 10 within 4 s at
 * Q = 1 s; a simulated tick fault moves them, and widens the count to what its earliest and latest ticks give);
 * NanoMQ 0.21.9 none. `delivered` is the model's count, `upTo` the most a real broker of the profile was seen to
 * deliver: real NanoMQ 0.25.3 delivered one more than its ticks in 1 of 3 runs (4 of 5 within 4 s: the last
 * message, published just before the resume, went out live without DUP at once — bench/sessions-measure.ts).
 */
export function expectedDelivered(
  p: ProfileOptions,
  c: { cleanSession: boolean; qos: Qos },
  n: number,
  waitMs: number,
): { delivered: number; upTo: number } {
  const exactly = (k: number) => ({ delivered: k, upTo: k });
  if (c.cleanSession) return exactly(0);
  const policy = brokerProfile(p).sessionPolicy;
  if (c.qos === 0 && !policy.queueQos0) return exactly(0);
  const kept = Math.min(n, policy.maxQueuedMessages, policy.deliverOnResume);
  switch (policy.resend) {
    case "at-once":
      return exactly(kept);
    case "none":
      return exactly(0);
    case "one-per-tick": {
      const { earliest, latest } = resumeTicks(p);
      return {
        delivered: ticksBy(latest, kept, waitMs),
        upTo: Math.min(kept, ticksBy(earliest, kept, waitMs) + 1),
      };
    }
  }
}

/**
 * How long after the resume session-resume counts (issue 17): until the profile's broker has re-sent all it
 * keeps — NanoMQ 0.25.3 one message per tick from 1.5 × Q, so 1.5 × Q + (kept − 1) × Q, plus one spare tick, on
 * the latest ticks a simulated tick fault allows — and never less than --resume-wait. `atOnceMs`: arrivals within
 * it are "at once", later ones "late": the first tick and half a tick of slack for one-per-tick, else the resume
 * wait.
 */
export function resumeTiming(
  p: ProfileOptions,
  n: number,
  waitMs: number,
): { atOnceMs: number; capMs: number } {
  const policy = brokerProfile(p).sessionPolicy;
  if (policy.resend !== "one-per-tick") return { atOnceMs: waitMs, capMs: waitMs };
  const kept = Math.min(n, policy.maxQueuedMessages, policy.deliverOnResume);
  const { earliest, latest } = resumeTicks(p);
  // halfway from the first tick to the second (2 × Q), never before the latest first tick
  const atOnceMs = Math.max(latest(0), (latest(0) + earliest(1)) / 2);
  return { atOnceMs, capMs: Math.max(waitMs, latest(kept)) };
}

/**
 * The resumed pipe's tick times from its CONNECT, from the one tick schedule (tickSchedule,
 * src/keepalive/tick-fault.ts) that the broker's pipe timer runs on: without a tick fault the plain schedule
 * (1.5·Q, then every Q) for both; under a SIMULATED tick fault the earliest (no tick late) and the latest (every
 * tick late by the whole jitter) the resumed pipe's ticks can come, with the drifted interval.
 */
function resumeTicks(p: ProfileOptions): { earliest: (k: number) => number; latest: (k: number) => number } {
  return {
    earliest: tickSchedule(0, p.retryIntervalMs, p.tickFault, () => 0),
    latest: tickSchedule(0, p.retryIntervalMs, p.tickFault, () => 1),
  };
}

/** How many of the first `kept` ticks of `tickAt` come by `waitMs` (one re-sent message each). */
function ticksBy(tickAt: (k: number) => number, kept: number, waitMs: number): number {
  let k = 0;
  while (k < kept && tickAt(k) <= waitMs) k += 1;
  return k;
}
