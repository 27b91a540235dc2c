import type { BrokerContext } from "../broker-context.js";
import type { Connection } from "../connection.js";
import { deliver } from "../route.js";
import { hasExpired } from "./message-expiry.js";
import { queueFull } from "./queue-full.js";
import type { QueuedMessage } from "./session.js";

/** NanoMQ's pipe timer: the first tick at 1.5 × retry_interval (src/broker/sessions/session-policy.ts). */
const FIRST_TICK_FACTOR = 1.5;

/**
 * A message for a client that is away: kept in its session's queue when the session outlives the connection
 * (3.1.1 §4.1: "QoS 1 and QoS 2 messages pending transmission to the Client"; QoS 0 optionally), bounded by the
 * profile's policy; past the bound it is dropped and counted.
 */
export function enqueue(ctx: BrokerContext, clientId: string, queued: QueuedMessage): void {
  const session = ctx.sessions.get(clientId);
  if (!session?.persistent) return;
  const policy = ctx.sessionPolicy;
  if (queued.qos === 0 && !policy.queueQos0) return;
  if (session.queue.length >= policy.maxQueuedMessages) {
    queueFull(ctx, session, 0);
    return;
  }
  session.queue.push(queued);
}

/**
 * After CONNACK on a resumed session: first every unacknowledged PUBLISH again with DUP and every unanswered PUBREL,
 * with their original packet ids [MQTT-4.4.0-1] (3.1.1) / [MQTT-4.4.0-1] (5.0), in the order they were first sent
 * [MQTT-4.6.0-1] (3.1.1); then what was queued while the client was away (as many as the profile delivers).
 */
export function resumeSession(conn: Connection): void {
  if (conn.ctx.sessionPolicy.resend === "none") return; // kept, never sent (NanoMQ 0.21.9 as measured)
  if (conn.ctx.sessionPolicy.resend === "one-per-tick") {
    dripSession(conn);
    return;
  }
  const session = conn.session;
  for (const [messageId, flight] of session.outbound) {
    if (flight.released) conn.send({ cmd: "pubrel", messageId });
    // [MQTT-3.3.1-1] (3.1.1) DUP 1 on a re-delivery of a PUBLISH
    else conn.send({ ...flight.packet, dup: true });
  }
  const queued = session.queue.splice(0);
  session.dropping = false;
  const limit = conn.ctx.sessionPolicy.deliverOnResume;
  for (const [i, { message, qos, retain }] of queued.entries()) {
    if (i >= limit) {
      session.dropped++;
      conn.ctx.stats.queueOverflow++;
      continue;
    }
    deliver(conn, message, qos, retain);
  }
}

/**
 * NanoMQ's way (src/broker/sessions/session-policy.ts): one kept message per keepalive tick, each with DUP — first
 * the unacknowledged ones, then the queued ones — until none is left or the connection closes.
 */
function dripSession(conn: Connection): void {
  const ctx = conn.ctx;
  const session = conn.session;
  const pending = [...session.outbound.keys()];
  conn.dripping = true; // the Receive Maximum drip (src/broker/flow/receive-maximum.ts) leaves the queue to this one
  const tick = () => {
    if (conn.isClosed || conn.session !== session) return;
    const messageId = pending.shift();
    const flight = messageId === undefined ? undefined : session.outbound.get(messageId);
    if (messageId !== undefined && flight) {
      if (flight.released) conn.send({ cmd: "pubrel", messageId });
      else conn.send({ ...flight.packet, dup: true });
    } else if (messageId === undefined) {
      // NanoMQ 0.25.3 (measured): an expired cached message is dropped without using up a tick
      const model = ctx.profile.mqtt5.messageExpiry;
      while (session.queue[0] && hasExpired(model, session.queue[0].message, ctx.clock.now()))
        session.queue.shift();
      const next = session.queue.shift();
      if (!next) {
        conn.dripping = false;
        return;
      }
      deliver(conn, next.message, next.qos, next.retain, true, "bypass");
    }
    conn.resumeTimer = ctx.clock.setTimeout(tick, ctx.options.retryIntervalMs);
  };
  // The pipe's first timer is 1.5 × retry_interval after it starts, then every retry_interval (0.25.3 nmq_mqtt.c:
  // nni_sleep_aio(qos_duration * 1500) in the pipe start; measured: arrivals at 1.5, 2.5, 3.5 … s at Q = 1 s).
  conn.resumeTimer = ctx.clock.setTimeout(tick, ctx.options.retryIntervalMs * FIRST_TICK_FACTOR);
}
