import type { Connection } from "../connection.js";
import { deliver } from "../deliver.js";
import type { PipeTick } from "../keepalive/pipe-tick.js";
import { hasExpired } from "../sessions/message-expiry.js";

/** NanoMQ re-sends a cached message only once it is this many retry_intervals old (`qos_duration * 1250`). */
const MIN_AGE_FACTOR = 1.25;

/**
 * NanoMQ's re-send from the session cache: the "resend" duty of the pipe's tick (../keepalive/pipe-tick.ts), after
 * the keepalive check and n += 1, at most one message a tick, with DUP (nmq_mqtt.c nano_pipe_timer_cb →
 * NMQ_OPT_MQTT_GET_QOS_RESEND). Two things ride on it here, one at a time (`conn.dripping`):
 * - a resumed session's kept messages (../sessions/resume.ts, `conn.resumePending`): first each unacknowledged
 *   PUBLISH (or unanswered PUBREL) again, then the queued ones — one a tick, until none is left;
 * - the messages past the client's Receive Maximum (./receive-maximum.ts, hold): the oldest goes once it is at
 *   least 1.25 Q old, else nothing that tick.
 */
export function resendOnTick(conn: Connection, tick: PipeTick): void {
  tick.on("resend", ({ at }) => {
    if (conn.isClosed || !conn.dripping) return;
    if (conn.resumePending) resumeStep(conn, conn.resumePending, at);
    else dripStep(conn, at);
  });
}

/**
 * NanoMQ 0.25.3, measured (test/integration/nanomq/sessions-real.test.ts; src/broker/sessions/session-policy.ts):
 * one kept message per tick, arrivals at 1.5, 2.5, 3.5 … s at Q = 1 s; an expired cached message is dropped without
 * using up a tick.
 */
function resumeStep(conn: Connection, pending: number[], at: number): void {
  const session = conn.session;
  const messageId = pending.shift();
  if (messageId !== undefined) {
    const flight = session.outbound.get(messageId);
    if (flight?.released) conn.send({ cmd: "pubrel", messageId });
    // [MQTT-3.3.1-1] (3.1.1) DUP 1 on a re-delivery of a PUBLISH
    else if (flight) conn.send({ ...flight.packet, dup: true });
    return;
  }
  const model = conn.ctx.profile.mqtt5.messageExpiry;
  while (session.queue[0] && hasExpired(model, session.queue[0].message, at)) session.queue.shift();
  const next = session.queue.shift();
  if (!next) {
    conn.resumePending = undefined;
    conn.dripping = false;
    return;
  }
  deliver(conn, next.message, next.qos, next.retain, true, "bypass");
}

/**
 * NanoMQ 0.25.3 (measured with Receive Maximum 2 and 5–6 QoS 1 messages published 0.05–2.3 s after CONNECT,
 * retry_interval Q = 1 s; read in nmq_mqtt.c nano_pipe_timer_cb and broker_tcp.c NMQ_OPT_MQTT_GET_QOS_RESEND): the
 * messages past the maximum wait in the session cache; each tick re-sends the oldest one with DUP if it is at least
 * 1.25 Q old, else nothing that tick (published at 0.45 s → first at 2.5 s, at 1.15 s → 2.5 s, at 1.69 s → 3.5 s, at
 * 2.34 s → 4.5 s); a cached message past its expiry interval is dropped on the way. A guess beyond what was measured:
 * the re-send ignores the Receive Maximum (it is the session-cache retry, not the send path).
 */
function dripStep(conn: Connection, at: number): void {
  const ctx = conn.ctx;
  const queue = conn.session.queue;
  while (queue[0] && hasExpired(ctx.profile.mqtt5.messageExpiry, queue[0].message, at)) queue.shift();
  const next = queue[0];
  if (!next) {
    conn.dripping = false;
    return;
  }
  if (at - (next.message.receivedAt ?? at) >= ctx.options.retryIntervalMs * MIN_AGE_FACTOR) {
    queue.shift();
    deliver(conn, next.message, next.qos, next.retain, true, "bypass");
  }
}
