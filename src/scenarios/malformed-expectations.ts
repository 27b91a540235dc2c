import { mosquittoReaction } from "../broker/profiles/mosquitto-measured.js";
import type { ProfileOptions } from "../core/profile.js";
import type { ExpectedSignature } from "./types.js";

export interface VariantExpectation {
  seen: ExpectedSignature[];
  /** The broker closes the connection. */
  closes: boolean;
}

const rv = (n: number): ExpectedSignature => ({ id: "parse-error", detail: { rv: n } });
const OBJECT_CLOSED: ExpectedSignature[] = [
  { id: "recv-error", detail: { reason: "Object closed" } },
  rv(139),
];

/**
 * NanoMQ, row by row of docs/broker-facts.md "Malformed packets: what the real brokers do", corrected where the real
 * 0.21.9 and 0.25.3 differ (test/integration/nanomq/fidelity.test.ts): subscribe-empty closes on neither build.
 */
const NANOMQ: Record<string, VariantExpectation> = {
  "remaining-length-overflow": { seen: [{ id: "malformed-packet" }, rv(17)], closes: true },
  "publish-qos3": { seen: [{ id: "malformed-packet" }, rv(130)], closes: true },
  "publish-qos1-packet-id-0": { seen: [{ id: "malformed-packet" }, rv(130)], closes: true },
  "publish-empty": { seen: [{ id: "malformed-packet" }, rv(129)], closes: true },
  // 0.21.9: "NOT utf8-encoded string OR null string." and SUBACK 0x80; 0.25.3: no line, SUBACK granting QoS 0.
  "subscribe-empty": { seen: [], closes: false },
  "publish-wildcard-topic": { seen: [{ id: "rejected-publish" }, ...OBJECT_CLOSED], closes: true },
  "publish-bad-utf8-topic": { seen: [{ id: "rejected-publish" }, ...OBJECT_CLOSED], closes: true },
  "packet-type-0": { seen: [], closes: false },
  "pingreq-flags": { seen: [], closes: false },
  "garbage-before-connect": { seen: [{ id: "bad-connect" }], closes: true },
};

/** What `profile` logs for a variant: NanoMQ from docs/broker-facts.md, mosquitto as measured on 2.0.11, spec's rule. */
export function malformedExpectation(p: ProfileOptions, variant: string): VariantExpectation {
  if (p.profile === "nanomq") return NANOMQ[variant] ?? { seen: [], closes: true };
  if (p.profile === "mosquitto") {
    const reaction = mosquittoReaction(variant, 4);
    const seen: ExpectedSignature[] = reaction?.signature ? [{ id: reaction.signature.id }] : [];
    return { seen, closes: reaction?.closes ?? true };
  }
  // [MQTT-3.1.0-1] CONNECT first; [MQTT-4.8.0-1] (3.1.1): close on a malformed packet or a protocol error.
  if (variant === "garbage-before-connect") return { seen: [{ id: "bad-connect" }], closes: true };
  return { seen: [{ id: ["malformed-packet", "protocol-error"] }], closes: true };
}
