import type { SignatureId } from "../../signatures/types.js";

/**
 * What the real mosquitto 2.0 does, measured against it on loopback (test/integration/mosquitto-real.test.ts is
 * the proof and fails if the real broker disagrees). The embedded broker's `mosquitto` profile reacts from this
 * table, so the two cannot drift apart.
 */
export interface MeasuredReaction {
  /** The broker closed the connection at once. */
  closes: boolean;
  /** The catalogue signature (id + template key) of the line mosquitto logs, or null when it logs nothing. */
  signature: { id: SignatureId; key: string } | null;
  /** Bytes the client receives in answer before any close (hex), or null for none. */
  reply: string | null;
}

/** Keyed by the variant names of src/fleet/malformed.ts. Rows marked `guess` are not yet measured. */
export const MOSQUITTO_MALFORMED: Readonly<Record<string, MeasuredReaction>> = {
  "remaining-length-overflow": {
    closes: true,
    signature: { id: "protocol-error", key: "protocol" },
    reply: null,
  },
  "packet-type-0": { closes: true, signature: { id: "protocol-error", key: "protocol" }, reply: null },
  "pingreq-flags": { closes: false, signature: null, reply: "d000" },
  "garbage-before-connect": {
    closes: true,
    signature: { id: "protocol-error", key: "protocol" },
    reply: null,
  },
  // guess rows, to be measured:
  "publish-qos3": { closes: true, signature: { id: "protocol-error", key: "protocol" }, reply: null },
  "publish-qos1-packet-id-0": {
    closes: true,
    signature: { id: "protocol-error", key: "protocol" },
    reply: null,
  },
  "publish-empty": { closes: true, signature: { id: "protocol-error", key: "protocol" }, reply: null },
  "subscribe-empty": { closes: true, signature: { id: "protocol-error", key: "protocol" }, reply: null },
  "publish-wildcard-topic": {
    closes: true,
    signature: { id: "protocol-error", key: "protocol" },
    reply: null,
  },
  "publish-bad-utf8-topic": {
    closes: true,
    signature: { id: "malformed-packet", key: "malformed" },
    reply: null,
  },
};
