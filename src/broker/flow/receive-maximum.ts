import type { Connection } from "../connection.js";
import type { Message } from "../message.js";
import { queueFull } from "../sessions/queue-full.js";
import type { QueuedMessage } from "../sessions/session.js";

/**
 * Whether a QoS 1/2 message may go out to this client now [MQTT-3.3.4-9] (5.0): fewer unacknowledged QoS 1/2
 * PUBLISHes in flight than the client's Receive Maximum, and none waiting before it (they keep their order, 5.0
 * §4.6: the waiting ones go first).
 */
export function mayFly(conn: Connection): boolean {
  const room = conn.outbound.size < inflightLimit(conn);
  // NanoMQ's queue may hold a resumed session's messages still dripping out: live ones do not wait for those
  if (conn.ctx.profile.mqtt5.receiveMaximum === "drip") return room;
  return room && conn.session.queue.length === 0;
}

/** The client's Receive Maximum, or the broker's own in-flight cap if lower (Mqtt5Policy.maxInflight). */
export function inflightLimit(conn: Connection): number {
  return Math.min(conn.peerReceiveMaximum, conn.ctx.profile.mqtt5.maxInflight ?? Number.POSITIVE_INFINITY);
}

/**
 * A QoS 1/2 message past the client's Receive Maximum waits in the session's queue (bounded like an absent
 * session's, src/broker/sessions/session-policy.ts); a slot freed by an ack lets it out (./release.ts), or, on
 * NanoMQ, the pipe's tick re-sends it from the session cache (./tick-resend.ts).
 */
export function hold(conn: Connection, message: Message, qos: 1 | 2, retain: boolean): void {
  const ctx = conn.ctx;
  const session = conn.session;
  if (session.queue.length >= ctx.sessionPolicy.maxQueuedMessages) {
    queueFull(ctx, session, conn.tid);
    return;
  }
  const queued: QueuedMessage = { message, qos, retain };
  session.queue.push(queued);
  if (ctx.profile.mqtt5.receiveMaximum === "drip") conn.dripping = true;
}
