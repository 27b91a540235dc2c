import type { Mqtt5Policy } from "../profiles/mqtt5-policy.js";

/** The expiry interval a forwarded message carries, or "expired" when it must not be delivered any more. */
export type ExpiryOutcome = { kind: "none" } | { kind: "expired" } | { kind: "send"; intervalS: number };

/**
 * (5.0) §3.3.2.3.3 Message Expiry Interval: a message whose interval has passed while it waited in the server is
 * not delivered to a subscriber [MQTT-3.3.2-5], and the value sent on is the received value less the time it
 * waited [MQTT-3.3.2-6]. `receivedAt` and `now` are clock ms. How each profile's broker counts
 * (Mqtt5Policy.messageExpiry):
 * - "exact": expired once `interval` seconds have passed; the rest sent rounded up (never 0 while alive);
 * - "whole-seconds" (mosquitto 2.0.11, measured: 10 → 8 after 2.2 s, 7 after 2.4 s; 1 → gone after 0.3 s): it expires
 *   at ⌊received s⌋ + interval, sends that less ⌊now s⌋, and drops the message when that is 0 or less;
 * - "unchanged" (NanoMQ 0.25.3, measured: 10 stays 10 after 2.2 s and after 4.5 s): the received value is sent on,
 *   but a message past its interval is still dropped.
 */
export function expiryOutcome(
  model: Mqtt5Policy["messageExpiry"],
  intervalS: number | undefined,
  receivedAt: number | undefined,
  now: number,
): ExpiryOutcome {
  if (intervalS === undefined) return { kind: "none" };
  const at = receivedAt ?? now;
  if (model === "whole-seconds") {
    const left = Math.floor(at / 1000) + intervalS - Math.floor(now / 1000);
    return left > 0 ? { kind: "send", intervalS: left } : { kind: "expired" };
  }
  const leftMs = at + intervalS * 1000 - now;
  if (leftMs <= 0) return { kind: "expired" };
  return { kind: "send", intervalS: model === "unchanged" ? intervalS : Math.ceil(leftMs / 1000) };
}

/** Whether a message has outlived its interval (at clock ms `now`) under the profile's arithmetic. */
export function hasExpired(
  model: Mqtt5Policy["messageExpiry"],
  message: { properties?: { messageExpiryInterval?: number }; receivedAt?: number },
  now: number,
): boolean {
  const interval = message.properties?.messageExpiryInterval;
  return expiryOutcome(model, interval, message.receivedAt, now).kind === "expired";
}
