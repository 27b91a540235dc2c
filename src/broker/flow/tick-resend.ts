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
 * - a resumed session's kept messages (../sessions/resume.ts, `conn.resendFrom`): unacknowledged and queued alike,
 *   one a tick, again and again while any is unacknowledged;
 * - the messages past the client's Receive Maximum (./receive-maximum.ts, hold): the oldest goes once it is at
 *   least 1.25 Q old, else nothing that tick.
 */
export function resendOnTick(conn: Connection, tick: PipeTick): void {
  const idle = () => conn.isClosed || !conn.dripping;
  tick.on(
    "resend",
    ({ at }) => {
      if (idle()) return;
      if (conn.resendFrom !== undefined) resumeStep(conn, conn.resendFrom, at);
      else dripStep(conn, at);
    },
    // every tick while dripping; none before (setting conn.dripping wakes the timer)
    { actsAt: (counter) => (idle() ? Number.POSITIVE_INFINITY : counter) },
  );
}

/**
 * NanoMQ 0.25.3's session cache after a resume, read in broker_tcp.c (tcptran_pipe_getopt,
 * NMQ_OPT_MQTT_GET_QOS_RESEND) and nmq_mqtt.c (nano_pipe_timer_cb): the cache holds the unacknowledged messages and
 * the ones queued while the client was away, by packet id (the unacknowledged ones first: their ids are older);
 * each tick takes the first at or after `rid` (wrapping round), sends it with DUP if it is at least 1.25 Q old
 * (else nothing that tick), and sets rid to its id + 1; a message leaves the cache only when acknowledged. So
 * every kept message goes once, one a tick, and while any stays unacknowledged the round starts again: measured on
 * the real 0.25.3 (Q = 1 s; test/integration/nanomq/sessions-real.test.ts), an unacknowledged QoS 1 or 2 PUBLISH
 * came again with DUP at 1.5, 2.5, 3.5 … s after the resumed CONNECT, every tick; queued ones at 1.5, 2.5, 3.5 …
 * s when the client acknowledges each. Here the queued messages take their packet id when they go (a real queued
 * one has it from the moment it is cached: the same order). An expired queued message is dropped without using up
 * a tick. Not modelled: a PUBACK moving rid to its id + 1 (the same as here while acks come in order).
 */
function resumeStep(conn: Connection, rid: number, at: number): void {
  const session = conn.session;
  const ids = [...session.outbound.keys()].sort((a, b) => a - b);
  const kept = ids.find((id) => id >= rid);
  if (kept !== undefined) {
    resendKept(conn, kept, at);
    return;
  }
  const model = conn.ctx.profile.mqtt5.messageExpiry;
  while (session.queue[0] && hasExpired(model, session.queue[0].message, at)) session.queue.shift();
  const next = session.queue.shift();
  if (next) {
    const before = session.outbound.size;
    deliver(conn, next.message, next.qos, next.retain, true, "bypass");
    const sent = session.outbound.size > before ? [...session.outbound.keys()].pop() : undefined;
    if (sent !== undefined) conn.resendFrom = sent >= 65535 ? 1 : sent + 1;
    return;
  }
  const first = ids[0];
  if (first !== undefined) {
    resendKept(conn, first, at);
    return;
  }
  conn.resendFrom = undefined;
  conn.dripping = false;
}

/** One unacknowledged message again (with DUP), or its PUBREL, if it is old enough; rid moves past it. */
function resendKept(conn: Connection, messageId: number, at: number): void {
  const flight = conn.session.outbound.get(messageId);
  if (!flight) return;
  const minAgeMs = conn.ctx.options.retryIntervalMs * MIN_AGE_FACTOR;
  if (flight.receivedAt !== undefined && at - flight.receivedAt < minAgeMs) return;
  conn.resendFrom = messageId >= 65535 ? 1 : messageId + 1;
  if (flight.released) conn.send({ cmd: "pubrel", messageId });
  // [MQTT-3.3.1-1] (3.1.1) DUP 1 on a re-delivery of a PUBLISH
  else conn.send({ ...flight.packet, dup: true });
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
