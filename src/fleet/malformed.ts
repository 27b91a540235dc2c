/**
 * The malformed-packet table of docs/broker-facts.md: named byte strings a misbehaving client sends after a good
 * CONNECT (3.1.1), or instead of it (`beforeConnect`). Shared by the fleet, the broker's tests, the fuzzer and
 * the probe, so every part speaks of the same bytes by the same name.
 */
export interface MalformedVariant {
  name: string;
  bytes: Buffer;
  /** Sent instead of CONNECT rather than after it. */
  beforeConnect: boolean;
  description: string;
}

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");

export const MALFORMED_VARIANTS: readonly MalformedVariant[] = [
  {
    name: "remaining-length-overflow",
    bytes: hex("30 FF FF FF FF 7F"),
    beforeConnect: false,
    description: "PUBLISH whose remaining length runs to a 5th byte (at most 4 are allowed)",
  },
  {
    name: "publish-qos3",
    bytes: hex("36 07 0003 612f62 0001"),
    beforeConnect: false,
    description: "PUBLISH with both QoS bits set (QoS 3 does not exist)",
  },
  {
    name: "publish-qos1-packet-id-0",
    bytes: hex("32 07 0003 612f62 0000"),
    beforeConnect: false,
    description: "QoS 1 PUBLISH with packet identifier 0",
  },
  {
    name: "publish-empty",
    bytes: hex("30 00"),
    beforeConnect: false,
    description: "PUBLISH with remaining length 0 (no topic at all)",
  },
  {
    name: "subscribe-empty",
    bytes: hex("82 02 0001"),
    beforeConnect: false,
    description: "SUBSCRIBE with a packet id and no topic filter",
  },
  {
    name: "publish-wildcard-topic",
    bytes: hex("30 06 0003 612f2b 78"),
    beforeConnect: false,
    description: "PUBLISH to the topic a/+ (wildcards are not allowed in a topic name)",
  },
  {
    name: "publish-bad-utf8-topic",
    bytes: hex("30 06 0003 61ff62 78"),
    beforeConnect: false,
    description: "PUBLISH whose topic bytes are not valid UTF-8",
  },
  {
    name: "packet-type-0",
    bytes: hex("00 00"),
    beforeConnect: false,
    description: "packet type 0 (reserved)",
  },
  {
    name: "pingreq-flags",
    bytes: hex("C1 00"),
    beforeConnect: false,
    description: "PINGREQ with a reserved flag bit set",
  },
  {
    name: "garbage-before-connect",
    bytes: Buffer.from("GET / HTTP/1.1\r\nHost: mqdiag\r\n\r\n", "latin1"),
    beforeConnect: true,
    description: "non-MQTT bytes (an HTTP request) instead of CONNECT",
  },
];

export const MALFORMED_NAMES = MALFORMED_VARIANTS.map((v) => v.name);

export function malformedVariant(name: string): MalformedVariant | undefined {
  return MALFORMED_VARIANTS.find((v) => v.name === name);
}
