import type { IPublishPacket, QoS } from "mqtt-packet";
import type { Connection } from "./connection.js";
import { hold, mayFly } from "./flow/receive-maximum.js";
import type { Message } from "./message.js";
import { expiryOutcome } from "./sessions/message-expiry.js";
import { withOutboundAlias } from "./topic-alias.js";

/**
 * Sends `message` to one connection at `qos` (already the min of publish and subscription QoS [MQTT-3.8.4-6]).
 * `flow` "bypass": the caller has already applied the client's Receive Maximum (./flow/receive-maximum.ts).
 */
export function deliver(
  conn: Connection,
  message: Message,
  qos: QoS,
  retain: boolean,
  dup = false,
  flow: "gated" | "bypass" = "gated",
): void {
  if (conn.isClosed) return;
  if (conn.outboundFull) {
    // A subscriber that does not read: drop rather than queue without bound (src/broker/limits.ts).
    conn.ctx.stats.droppedMessages++;
    return;
  }
  // a publisher's own topic alias or (forbidden, [MQTT-3.3.4-6]) subscription identifier never goes on
  const { topicAlias: _alias, subscriptionIdentifier: _sid, ...properties } = message.properties ?? {};
  // [MQTT-3.3.2-5] (5.0) an expired message is not delivered; [MQTT-3.3.2-6] the interval left is sent on
  const expiry = expiryOutcome(
    conn.ctx.profile.mqtt5.messageExpiry,
    properties.messageExpiryInterval,
    message.receivedAt,
    conn.ctx.clock.now(),
  );
  if (expiry.kind === "expired") return;
  if (expiry.kind === "send") properties.messageExpiryInterval = expiry.intervalS;
  // [MQTT-3.3.4-9] (5.0) no more unacknowledged QoS 1/2 PUBLISHes in flight than the client's Receive Maximum
  if (qos > 0 && flow === "gated" && !mayFly(conn)) {
    hold(conn, message, qos as 1 | 2, retain);
    return;
  }
  // [MQTT-3.3.4-3] (5.0) the identifiers of the subscriptions this copy is for
  const ids = message.subscriptionIds ?? [];
  const sent: IPublishPacket["properties"] =
    ids.length === 0
      ? properties
      : { ...properties, subscriptionIdentifier: ids.length === 1 ? ids[0] : [...ids] };
  const packet: IPublishPacket = {
    cmd: "publish",
    topic: message.topic,
    payload: message.payload,
    qos,
    retain,
    dup: dup && qos > 0, // [MQTT-3.3.1-2] (3.1.1) DUP 0 on every QoS 0 message
    ...(conn.protocolVersion === 5 && Object.keys(sent).length > 0 ? { properties: sent } : {}),
  };
  if (qos > 0) {
    const messageId = conn.allocateMessageId();
    if (messageId === undefined) return;
    packet.messageId = messageId;
    conn.outbound.set(messageId, {
      qos: qos as 1 | 2,
      released: false,
      packet,
      receivedAt: message.receivedAt,
    });
  }
  // (5.0) a topic alias only on the wire: what is kept to be re-sent keeps its topic
  if (!conn.send(withOutboundAlias(conn, packet)) && packet.messageId !== undefined)
    conn.outbound.delete(packet.messageId);
}
