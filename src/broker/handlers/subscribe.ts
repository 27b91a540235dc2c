import type { ISubscribePacket, QoS } from "mqtt-packet";
import type { Connection } from "../connection.js";
import { deliver } from "../deliver.js";
import { overlappingCopies } from "../overlap.js";
import { closeWithReason } from "../protocol-close.js";
import { decodeRetained } from "../retained-store.js";
import { expiryOutcome } from "../sessions/message-expiry.js";
import { parseShare } from "../shared-subscriptions.js";
import { isValidFilter, topicMatches } from "../topic-filter.js";

const FAILURE_V4 = 0x80;
const TOPIC_FILTER_INVALID_V5 = 0x8f;
const PROTOCOL_ERROR_V5 = 0x82;

/** SUBSCRIBE: add each filter, SUBACK, then the retained messages that match [MQTT-3.3.1-6]. */
export function handleSubscribe(conn: Connection, packet: ISubscribePacket): void {
  const ctx = conn.ctx;
  const clientId = conn.clientId ?? "";
  const v5 = conn.protocolVersion === 5;
  const granted: number[] = [];
  const retainedFor: { filter: string; qos: QoS; ids: number[] }[] = [];
  // (5.0) §3.8.2.1.2: one Subscription Identifier for every filter of this SUBSCRIBE
  const identifier = v5 ? packet.properties?.subscriptionIdentifier : undefined;
  // ... from 1 up: 0 is a Protocol Error, on the profiles that check it
  const zero = ctx.profile.mqtt5.subscriptionIdentifierZero;
  if (identifier === 0 && zero !== null) {
    closeWithReason(conn, zero);
    return;
  }
  const policy = ctx.profile.mqtt5.shared;
  for (const sub of packet.subscriptions) {
    let share = parseShare(sub.topic);
    if (share.kind === "invalid") {
      // (5.0) §4.8.2 [MQTT-4.8.2-1/2]: an invalid share name, answered as the profile's broker does
      if (policy.invalid === "suback") {
        granted.push(v5 ? TOPIC_FILTER_INVALID_V5 : FAILURE_V4);
        continue;
      }
      if (!(policy.invalid.plainIfEmptyPart && share.emptyPart)) {
        closeWithReason(conn, policy.invalid.disconnect);
        return;
      }
      share = { kind: "plain" }; // mosquitto 2.0.11: taken as an ordinary filter
    }
    if (share.kind === "shared" && sub.nl && policy.noLocalIsError) {
      closeWithReason(conn, PROTOCOL_ERROR_V5); // [MQTT-3.8.3-4] (5.0) No Local on a shared subscription
      return;
    }
    if (!isValidFilter(sub.topic)) {
      granted.push(v5 ? TOPIC_FILTER_INVALID_V5 : FAILURE_V4);
      continue;
    }
    const isNew = ctx.subscriptions.add(clientId, {
      filter: sub.topic,
      qos: sub.qos,
      noLocal: sub.nl ?? false,
      retainAsPublished: sub.rap ?? false,
      ...(identifier !== undefined ? { identifier } : {}),
      ...(share.kind === "shared" ? { share: { group: share.group, filter: share.filter } } : {}),
    });
    granted.push(sub.qos);
    // (5.0) §4.8.2, §3.3.1.3: retained messages go to new non-shared subscriptions only; mosquitto 2.0.11 sends
    // them on a shared one too (measured), NanoMQ 0.25.3 does not
    if (share.kind === "shared" && !policy.retainedOnSubscribe) continue;
    const filter = share.kind === "shared" ? share.filter : sub.topic;
    // 5.0 Retain Handling: 0 always send retained, 1 only for a new subscription, 2 never
    const rh = sub.rh ?? 0;
    if (rh === 0 || (rh === 1 && isNew))
      retainedFor.push({ filter, qos: sub.qos, ids: identifier === undefined ? [] : [identifier] });
  }
  const suback = () => conn.send({ cmd: "suback", messageId: packet.messageId ?? 0, granted });
  if (!ctx.profile.retainedBeforeSuback) suback();
  for (const { filter, qos, ids } of retainedFor) sendRetained(conn, filter, qos, ids);
  if (ctx.profile.retainedBeforeSuback) suback();
}

/** Re-decodes each stored retained message that matches; a copy that fails to decode is logged and dropped. */
function sendRetained(conn: Connection, filter: string, subQos: QoS, subscriptionIds: number[]): void {
  const ctx = conn.ctx;
  const topics = ctx.retained.topics().filter((topic) => topicMatches(filter, topic));
  const expired = new Set(topics.filter((topic) => retainedExpired(conn, topic)));
  // NanoMQ 0.25.3 (measured): its walk goes by topic depth, then name, and stops at the first expired message,
  // which stays stored. (It sends in that order without an expired one too — `0 x a/b a/c a/b/c` — but here the
  // order only changes when the stop matters; test/integration/broker/corners.test.ts holds the insertion order.)
  const stopsAtExpired = ctx.profile.mqtt5.expiredRetainedStopsWalk && expired.size > 0;
  if (stopsAtExpired) topics.sort(byDepthThenName);
  for (const topic of topics) {
    if (expired.has(topic)) {
      if (stopsAtExpired) return;
      ctx.retained.delete(topic); // [MQTT-3.3.2-5] (5.0) an expired retained message is gone
      continue;
    }
    const stored = ctx.retained.get(topic);
    const packet = stored ? decodeRetained(stored) : undefined;
    if (!packet) {
      ctx.log.event({ type: "retain-decode-failed", stage: "deliver", topic }, conn.clientId, conn.tid);
      continue;
    }
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const receivedAt = ctx.retained.receivedAt(topic);
    const mine = () => ctx.subscriptions.matchClient(conn.clientId ?? "", topic);
    const copies = ctx.profile.retainedToEveryMatchingSubscription
      ? overlappingCopies(ctx.profile.overlap, mine(), conn.protocolVersion)
      : [{ qos: subQos, subscriptionIds }];
    for (const copy of copies) {
      const qos = Math.min(packet.qos, copy.qos) as QoS;
      const ids = copy.subscriptionIds;
      // [MQTT-3.3.1-8] retained messages sent on subscription carry retain = 1
      const message = {
        topic,
        payload,
        qos,
        retain: true,
        properties: packet.properties,
        receivedAt,
        subscriptionIds: ids,
      };
      deliver(conn, message, qos, true);
    }
  }
}

const depth = (topic: string) => topic.split("/").length;
const byDepthThenName = (a: string, b: string) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0);

/** Whether the retained message on `topic` has outlived its (5.0) Message Expiry Interval. */
function retainedExpired(conn: Connection, topic: string): boolean {
  const ctx = conn.ctx;
  const stored = ctx.retained.get(topic);
  const intervalS = stored ? decodeRetained(stored)?.properties?.messageExpiryInterval : undefined;
  const at = ctx.retained.receivedAt(topic);
  const outcome = expiryOutcome(ctx.profile.mqtt5.messageExpiry, intervalS, at, ctx.clock.now());
  return outcome.kind === "expired";
}
