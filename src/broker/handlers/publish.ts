import type { IPublishPacket } from "mqtt-packet";
import type { Connection } from "../connection.js";
import { withinReceiveMaximum } from "../flow/inbound-quota.js";
import { retain, route } from "../route.js";
import { resolveInboundAlias } from "../topic-alias.js";

/** PUBLISH in: Receive Maximum and topic alias (5.0), retain store, forward, and the QoS 1/2 acks. */
export function handlePublish(conn: Connection, packet: IPublishPacket): void {
  if (!withinReceiveMaximum(conn, packet)) return; // (5.0) past the broker's Receive Maximum: closed
  if (!resolveInboundAlias(conn, packet)) return; // (5.0) topic alias: resolved, or the connection closed
  const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
  const message = {
    topic: packet.topic,
    payload,
    qos: packet.qos,
    retain: packet.retain,
    properties: packet.properties,
    receivedAt: conn.ctx.clock.now(),
  };
  const messageId = packet.messageId ?? 0;
  if (packet.qos === 2) {
    // [MQTT-4.3.3-2] deliver once: a re-sent QoS 2 PUBLISH with an unreleased packet id is not forwarded again
    if (!conn.inboundQos2.has(messageId)) {
      conn.inboundQos2.add(messageId);
      accept(conn, packet, message);
    }
    conn.send({ cmd: "pubrec", messageId });
    return;
  }
  accept(conn, packet, message);
  if (packet.qos === 1) conn.send({ cmd: "puback", messageId }); // [MQTT-4.3.2-2]
}

function accept(conn: Connection, packet: IPublishPacket, message: Parameters<typeof route>[1]): void {
  if (packet.retain) retain(conn.ctx, conn, packet);
  route(conn.ctx, message, conn.clientId);
}
