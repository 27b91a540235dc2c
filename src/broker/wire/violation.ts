/**
 * Named protocol violations the broker recognises. The first ten are the variant names of
 * src/fleet/malformed.ts (docs/broker-facts.md "Malformed packets"), so a profile's reaction table can be keyed by them;
 * the rest are further kinds the framing and decoding can tell apart.
 */
export const VIOLATION_KINDS = [
  "remaining-length-overflow",
  "publish-qos3",
  "publish-qos1-packet-id-0",
  "publish-empty",
  "subscribe-empty",
  "publish-wildcard-topic",
  "publish-bad-utf8-topic",
  "packet-type-0",
  "pingreq-flags",
  "garbage-before-connect",
  /** Type 15 (AUTH) on a 3.1.1 connection, where it is reserved. */
  "auth-on-v311",
  /** A second CONNECT on a connection [MQTT-3.1.0-2]. */
  "second-connect",
  /** A packet only a server sends (CONNACK, SUBACK, UNSUBACK, PINGRESP) arriving from a client. */
  "server-packet",
  /** Reserved flag bits set on a packet other than PINGREQ [MQTT-2.2.2-2]. */
  "reserved-flags",
  /** A PUBLISH with an empty topic name and no topic alias. */
  "publish-empty-topic",
  /** A packet declared larger than the broker's maximum packet size (refused before its body is buffered). */
  "packet-too-large",
  /** Anything else the decoder refuses. */
  "undecodable",
] as const;

export type ViolationKind = (typeof VIOLATION_KINDS)[number];

export interface Violation {
  kind: ViolationKind;
  /** Packet type nibble of the offending frame (or byte 1, before CONNECT). */
  packetType: number;
  /** PUBLISH topic as far as it could be read (for the NanoMQ topic lines). */
  topic?: string;
  topicBytes?: number;
  /** The decoder's message, for "undecodable". */
  detail?: string;
  /** The packet identifier of a SUBSCRIBE without topic filters (for the SUBACK a profile may still send). */
  packetId?: number;
  /** Bytes received after the offending fixed header that the broker never read (packet-too-large). */
  unreadBytes?: number;
}
