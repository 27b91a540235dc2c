import { UsageError } from "./errors.js";
import type { ProfileName } from "./profile.js";

/**
 * `mqdiag broker --receive-maximum <n>`: the embedded spec broker's own Receive Maximum (§3.2.2.3.3), 1 to 65,535,
 * said in its CONNACK and enforced with DISCONNECT 0x93. Only the spec profile takes it: the mosquitto profile's
 * CONNACK carries 2.0.11's measured 20 and NanoMQ's none, and neither profile models what the real broker does
 * with a client that goes past it.
 */
export function parseReceiveMaximum(text: string | undefined, profile: ProfileName): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  const n = Number(t);
  if (!/^\d+$/.test(t) || n < 1 || n > 65535)
    throw new UsageError(`--receive-maximum: expected a whole number from 1 to 65535, got "${t}"`);
  if (profile !== "spec")
    throw new UsageError(
      `--receive-maximum: the ${profile} profile has no such setting (its CONNACK is the real broker's, measured); use --profile spec`,
    );
  return n;
}
