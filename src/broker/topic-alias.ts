import type { IPublishPacket } from "mqtt-packet";
import type { Connection } from "./connection.js";
import { closeWithReason } from "./protocol-close.js";

/**
 * (5.0) §3.3.2.3.4 Topic Alias, client → broker: resolves the PUBLISH's topic in place. An alias of 0
 * [MQTT-3.3.2-8], one over the Topic Alias Maximum the broker allows [MQTT-3.3.2-9], or one never mapped on this
 * connection with an empty topic (a Protocol Error) closes the connection with the profile's DISCONNECT reason
 * (src/broker/profiles/mqtt5-policy.ts). Returns false when the connection was closed.
 */
export function resolveInboundAlias(conn: Connection, packet: IPublishPacket): boolean {
  const alias = packet.properties?.topicAlias;
  if (alias === undefined) return true;
  const policy = conn.ctx.profile.mqtt5;
  if (alias === 0) return reject(conn, policy.topicAliasErrors.zero);
  if (alias > policy.topicAliasMaximum) return reject(conn, policy.topicAliasErrors.overMax);
  if (packet.topic !== "") {
    conn.topicAliases.set(alias, packet.topic);
    return true;
  }
  const topic = conn.topicAliases.get(alias);
  if (topic === undefined) return reject(conn, policy.topicAliasErrors.unknown);
  packet.topic = topic;
  return true;
}

function reject(conn: Connection, reasonCode: number): false {
  closeWithReason(conn, reasonCode);
  return false;
}

/**
 * Broker → client (§3.3.2.3.4): where the profile's broker does it (the spec profile; mosquitto 2.0.11 and NanoMQ
 * 0.25.3 never do, measured) and the client allows aliases (CONNECT Topic Alias Maximum > 0 [MQTT-3.1.2-27]), the
 * first PUBLISH on a topic carries the topic and a new alias, later ones only the alias and an empty topic; once
 * the client's maximum is used up, new topics go without one [MQTT-3.3.2-11]. Aliases belong to the connection: what is kept to be
 * re-sent keeps its topic.
 */
export function withOutboundAlias(conn: Connection, packet: IPublishPacket): IPublishPacket {
  if (!conn.ctx.profile.mqtt5.sendsTopicAliases || conn.peerTopicAliasMaximum === 0) return packet;
  const known = conn.outboundAliases.get(packet.topic);
  if (known !== undefined)
    return { ...packet, topic: "", properties: { ...packet.properties, topicAlias: known } };
  if (conn.outboundAliases.size >= conn.peerTopicAliasMaximum) return packet;
  const alias = conn.outboundAliases.size + 1;
  conn.outboundAliases.set(packet.topic, alias);
  return { ...packet, properties: { ...packet.properties, topicAlias: alias } };
}
