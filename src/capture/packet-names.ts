/** MQTT control packet names by type nibble, as the timeline and reports spell them. */
const NAMES = [
  "reserved-0",
  "connect",
  "connack",
  "publish",
  "puback",
  "pubrec",
  "pubrel",
  "pubcomp",
  "subscribe",
  "suback",
  "unsubscribe",
  "unsuback",
  "pingreq",
  "pingresp",
  "disconnect",
  "auth",
] as const;

export type PacketName = (typeof NAMES)[number] | "tls-record";

export function packetName(type: number): PacketName {
  return NAMES[type & 0x0f] as PacketName;
}
