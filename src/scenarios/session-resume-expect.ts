import { brokerProfile } from "../broker/profiles/broker-profile.js";
import type { ProfileOptions } from "../core/profile.js";
import type { Qos } from "./session-options.js";

/**
 * How many of `n` messages published while a subscriber was away the profile delivers within `waitMs` of its
 * resume, from the profile's session policy (src/broker/sessions/session-policy.ts, measured on the real brokers):
 * nothing for a clean session or QoS 0 (none of them queues QoS 0); spec and mosquitto all of them at once;
 * NanoMQ 0.25.3 one per retry_interval tick Q from 1.5 × Q after the CONNECT (3 of 10 within 4 s at Q = 1 s);
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
      const q = p.retryIntervalMs;
      const ticks = waitMs < 1.5 * q ? 0 : Math.min(kept, Math.floor((waitMs - 1.5 * q) / q) + 1);
      return { delivered: ticks, upTo: Math.min(kept, ticks + 1) };
    }
  }
}

/**
 * How long after the resume session-resume counts (issue 17): until the profile's broker has re-sent all it
 * keeps — NanoMQ 0.25.3 one message per tick from 1.5 × Q, so 1.5 × Q + (kept − 1) × Q, plus one spare tick —
 * and never less than --resume-wait. `atOnceMs`: arrivals within it are "at once", later ones "late": the first
 * tick and half a tick of slack for one-per-tick, else the resume wait.
 */
export function resumeTiming(
  p: ProfileOptions,
  n: number,
  waitMs: number,
): { atOnceMs: number; capMs: number } {
  const policy = brokerProfile(p).sessionPolicy;
  if (policy.resend !== "one-per-tick") return { atOnceMs: waitMs, capMs: waitMs };
  const q = p.retryIntervalMs;
  const kept = Math.min(n, policy.maxQueuedMessages, policy.deliverOnResume);
  return { atOnceMs: 2 * q, capMs: Math.max(waitMs, 1.5 * q + kept * q) };
}
