import mqttPacket, { type Packet } from "mqtt-packet";
import { MALFORMED_VARIANTS } from "../src/fleet/malformed.js";

/**
 * The packets a fuzz connection draws from after its CONNECT: valid packets of every client-to-server type
 * (the mutator's raw material) and the named malformed variants of docs/broker-facts.md.
 */
const VALID: Packet[] = [
  { cmd: "publish", topic: "fuzz/a", payload: Buffer.from("hello"), qos: 0, retain: false, dup: false },
  {
    cmd: "publish",
    topic: "fuzz/b/c",
    payload: Buffer.alloc(40, 7),
    qos: 1,
    messageId: 11,
    retain: false,
    dup: false,
  },
  {
    cmd: "publish",
    topic: "fuzz/q2",
    payload: Buffer.from("two"),
    qos: 2,
    messageId: 12,
    retain: false,
    dup: false,
  },
  { cmd: "publish", topic: "fuzz/r", payload: Buffer.from("kept"), qos: 0, retain: true, dup: false },
  { cmd: "subscribe", messageId: 13, subscriptions: [{ topic: "fuzz/#", qos: 1 }] },
  {
    cmd: "subscribe",
    messageId: 14,
    subscriptions: [
      { topic: "+/x", qos: 0 },
      { topic: "fuzz/r", qos: 2 },
    ],
  },
  { cmd: "unsubscribe", messageId: 15, unsubscriptions: ["fuzz/#"] },
  { cmd: "puback", messageId: 16 },
  { cmd: "pubrec", messageId: 17 },
  { cmd: "pubrel", messageId: 12 },
  { cmd: "pubcomp", messageId: 18 },
  { cmd: "pingreq" },
];

export const VALID_PACKETS: readonly Buffer[] = VALID.map((p) => mqttPacket.generate(p));
export const MALFORMED_AFTER_CONNECT = MALFORMED_VARIANTS.filter((v) => !v.beforeConnect);
export const MALFORMED_BEFORE_CONNECT = MALFORMED_VARIANTS.filter((v) => v.beforeConnect);

export function connectPacket(clientId: string, protocolVersion: 4 | 5, keepalive = 60): Buffer {
  return mqttPacket.generate(
    { cmd: "connect", clientId, protocolVersion, protocolId: "MQTT", clean: true, keepalive },
    { protocolVersion },
  );
}

export function disconnectPacket(): Buffer {
  return mqttPacket.generate({ cmd: "disconnect" });
}
