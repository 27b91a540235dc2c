import type { IPublishPacket } from "mqtt-packet";
import type { Connection } from "../connection.js";
import { closeWithReason } from "../protocol-close.js";

/**
 * (5.0) The broker's Receive Maximum, client → broker: a client may have at most that many QoS 1/2 publications
 * unfinished [MQTT-3.3.4-7]; one more and the server disconnects it with 0x93 (§3.3.4, §4.9), on the profiles that
 * check it (Mqtt5Policy.receiveMaximumExceeded). A QoS 1 PUBLISH is acknowledged as it arrives, so the unfinished
 * ones are the QoS 2 publications still waiting for their PUBREL; a QoS 2 PUBLISH re-sent with one of their packet
 * ids is the same publication, not a new one. Returns false when the connection was closed.
 */
export function withinReceiveMaximum(conn: Connection, packet: IPublishPacket): boolean {
  const reasonCode = conn.ctx.profile.mqtt5.receiveMaximumExceeded;
  if (reasonCode === null || conn.protocolVersion !== 5 || packet.qos === 0) return true;
  if (packet.qos === 2 && conn.inboundQos2.has(packet.messageId ?? 0)) return true;
  if (conn.inboundQos2.size < conn.ctx.limits.receiveMaximum) return true;
  closeWithReason(conn, reasonCode);
  return false;
}
