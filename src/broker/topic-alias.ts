import type { IPublishPacket } from "mqtt-packet";
import type { Connection } from "./connection.js";
import type { LogEntry } from "./dialects/types.js";
import { disconnectBytes } from "./profiles/reaction.js";

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
  if (alias === 0) return reject(conn, policy.topicAliasErrors.zero, alias);
  if (alias > policy.topicAliasMaximum) return reject(conn, policy.topicAliasErrors.overMax, alias);
  if (packet.topic !== "") {
    conn.topicAliases.set(alias, packet.topic);
    return true;
  }
  const topic = conn.topicAliases.get(alias);
  if (topic === undefined) return reject(conn, policy.topicAliasErrors.unknown, alias);
  packet.topic = topic;
  return true;
}

const MALFORMED = 0x81;
const PROTOCOL = 0x82;

/**
 * The lines each broker prints, as measured: mosquitto 2.0.11 `disconnected due to malformed packet` (0x81) or
 * `… protocol error` (0x82); for 0x94 it prints `Bad socket read/write on client <id>: Unknown error.`, a line
 * the signature catalogue has no template for, so nothing is logged here. NanoMQ 0.25.3 prints ERROR `Invalid
 * Topic Alias: <n> (Server Max allowed: 0). Closing connection or rejecting publish.`, not in the catalogue either;
 * then its usual close lines.
 */
function entries(conn: Connection, reasonCode: number): LogEntry[] {
  const args = { clientId: conn.clientId ?? "" };
  if (conn.ctx.options.profile === "nanomq") return [];
  if (reasonCode === MALFORMED) return [{ id: "malformed-packet", key: "malformed", args }];
  if (reasonCode === PROTOCOL || conn.ctx.options.profile === "spec")
    return [{ id: "protocol-error", key: "protocol", args }];
  return [];
}

function reject(conn: Connection, reasonCode: number, _alias: number): false {
  const ctx = conn.ctx;
  ctx.stats.violations++;
  ctx.log.write(entries(conn, reasonCode), conn.clientId, conn.tid);
  // NanoMQ closes a rejected publisher's pipe the way it does on a rejected PUBLISH
  const cause = ctx.options.profile === "nanomq" ? "rejected-publish" : "malformed";
  // mosquitto 2.0.11 sends its DISCONNECT without a property length (`e0 01 <rc>`, measured)
  const bytes =
    ctx.options.profile === "mosquitto" ? Buffer.from([0xe0, 0x01, reasonCode]) : disconnectBytes(reasonCode);
  conn.close(cause, { sendFirst: bytes });
  return false;
}

/**
 * Broker → client (§3.3.2.3.4): where the profile's broker does it (the spec profile; mosquitto 2.0.11 and NanoMQ
 * 0.25.3 never do, measured) and the client allows aliases (CONNECT Topic Alias Maximum > 0 [MQTT-3.3.2-10]), the
 * first PUBLISH on a topic carries the topic and a new alias, later ones only the alias and an empty topic; once
 * the client's maximum is used up, new topics go without one. Aliases belong to the connection: what is kept to be
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
