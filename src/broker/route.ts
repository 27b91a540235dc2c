import type { IConnectPacket, IPublishPacket, QoS } from "mqtt-packet";
import type { BrokerContext, Connection } from "./connection.js";
import { deliver } from "./deliver.js";
import type { Message } from "./message.js";
import { overlappingCopies } from "./overlap.js";
import { corruptEncoded, decodeRetained, encodeRetained } from "./retained-store.js";
import { enqueue } from "./sessions/resume.js";
import type { Subscription } from "./subscription.js";

const minQos = (a: QoS, b: QoS): QoS => (a < b ? a : b);

/**
 * Forwards a message to every matching subscriber, once per client, and to one member of each matching shared
 * subscription group (./shared-subscriptions.ts).
 */
export function route(ctx: BrokerContext, message: Message, fromClientId: string | null): void {
  const forward = (clientId: string, sub: Subscription, subQos: QoS, subscriptionIds: readonly number[]) => {
    if (sub.noLocal && clientId === fromClientId) return; // [MQTT-3.8.3-3] (5.0) No Local
    const conn = ctx.clients.get(clientId);
    // [MQTT-3.3.1-9] (3.1.1) forwarded messages carry retain 0 unless Retain As Published (5.0)
    const retain = sub.retainAsPublished && message.retain;
    const qos = minQos(message.qos, subQos);
    const copy = subscriptionIds.length > 0 ? { ...message, subscriptionIds } : message;
    if (conn) deliver(conn, copy, qos, retain);
    else enqueue(ctx, clientId, { message: copy, qos, retain }); // a persistent session whose client is away
  };
  for (const [clientId, subs] of ctx.subscriptions.match(message.topic)) {
    const version = ctx.clients.get(clientId)?.protocolVersion ?? 4;
    for (const c of overlappingCopies(ctx.profile.overlap, subs, version))
      forward(clientId, c.sub, c.qos, c.subscriptionIds);
  }
  const roundRobin = ctx.profile.mqtt5.shared.roundRobin;
  for (const { clientId, sub } of ctx.subscriptions.pickShared(message.topic, roundRobin))
    forward(clientId, sub, sub.qos, sub.identifier === undefined ? [] : [sub.identifier]);
}

/** Stores (or deletes) the retained message of a PUBLISH with the retain flag. */
export function retain(ctx: BrokerContext, conn: Connection, packet: IPublishPacket): void {
  // [MQTT-3.3.1-10/11] a zero-length retained PUBLISH deletes the retained message and is not stored
  if (packet.payload.length === 0) {
    ctx.retained.delete(packet.topic);
    return;
  }
  let encoded = encodeRetained(packet);
  if (ctx.faults.corruptRetained?.(packet.topic)) encoded = corruptEncoded(encoded);
  if (ctx.decodeRetainedAtStore && !decodeRetained(encoded)) {
    ctx.log.event(
      { type: "retain-decode-failed", stage: "store", topic: packet.topic },
      conn.clientId,
      conn.tid,
    );
    return;
  }
  ctx.retained.set(packet.topic, encoded, ctx.clock.now());
}

/** Publishes a will message as if its client had sent it. */
export function publishWill(
  ctx: BrokerContext,
  clientId: string,
  will: NonNullable<IConnectPacket["will"]>,
): void {
  // (5.0) the will's properties go out with it (§3.1.3.2), less the Will Delay Interval, which is the broker's
  const { willDelayInterval: _delay, ...properties } = will.properties ?? {};
  const message: Message = {
    topic: will.topic,
    payload: Buffer.isBuffer(will.payload) ? will.payload : Buffer.from(will.payload),
    qos: will.qos ?? 0,
    retain: will.retain ?? false,
    receivedAt: ctx.clock.now(),
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
  };
  if (message.retain) {
    if (message.payload.length === 0) ctx.retained.delete(message.topic);
    else {
      const { receivedAt, ...packet } = message;
      ctx.retained.set(message.topic, encodeRetained({ cmd: "publish", dup: false, ...packet }), receivedAt);
    }
  }
  route(ctx, message, clientId);
}
