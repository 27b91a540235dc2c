import type { IPubackPacket, IPubcompPacket, IPubrecPacket, IPubrelPacket } from "mqtt-packet";
import type { Connection } from "../connection.js";
import { released } from "../flow/release.js";

/** PUBACK: a QoS 1 message we sent is acknowledged [MQTT-4.3.2]. */
export function handlePuback(conn: Connection, packet: IPubackPacket): void {
  if (conn.outbound.delete(packet.messageId ?? 0)) released(conn); // (5.0) a Receive Maximum slot is free
}

/** PUBREC: our QoS 2 message was received; answer PUBREL [MQTT-4.3.3-3]. */
export function handlePubrec(conn: Connection, packet: IPubrecPacket): void {
  const messageId = packet.messageId ?? 0;
  const flight = conn.outbound.get(messageId);
  if (flight) flight.released = true;
  conn.send({ cmd: "pubrel", messageId });
}

/** PUBREL: the client releases its QoS 2 message; answer PUBCOMP [MQTT-4.3.3-11]. */
export function handlePubrel(conn: Connection, packet: IPubrelPacket): void {
  const messageId = packet.messageId ?? 0;
  conn.inboundQos2.delete(messageId);
  conn.send({ cmd: "pubcomp", messageId });
}

/** PUBCOMP: our QoS 2 flow is complete. */
export function handlePubcomp(conn: Connection, packet: IPubcompPacket): void {
  if (conn.outbound.delete(packet.messageId ?? 0)) released(conn); // (5.0) a Receive Maximum slot is free
}
