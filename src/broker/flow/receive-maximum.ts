import type { Connection } from "../connection.js";
import { deliver, type Message } from "../route.js";
import { hasExpired } from "../sessions/message-expiry.js";
import { queueFull } from "../sessions/queue-full.js";
import type { QueuedMessage } from "../sessions/session.js";

/** (5.0) §3.1.2.11.3: absent, the client's Receive Maximum is 65,535. */
export const DEFAULT_RECEIVE_MAXIMUM = 65_535;

/** NanoMQ's pipe timer: the first tick 1.5 × retry_interval after CONNECT, then one each retry_interval. */
const FIRST_TICK_FACTOR = 1.5;
/** NanoMQ re-sends a cached message only once it is this many retry_intervals old (`qos_duration * 1250`). */
const MIN_AGE_FACTOR = 1.25;

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
 * session's, src/broker/sessions/session-policy.ts); NanoMQ re-sends it from its session cache on
 * the pipe's tick instead.
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
  if (ctx.profile.mqtt5.receiveMaximum === "drip") startDrip(conn);
}

/**
 * A PUBACK or PUBCOMP freed a slot: "spec" sends the next waiting message while there is room;
 * "burst-per-ack" sends up to Receive Maximum of them whatever is in flight (mosquitto 2.0.11, measured with
 * Receive Maximum 1, 2 and 3 and 10 messages acknowledged one at a time: 2, 4, 6, 8, 10 arrived for 2); "drip"
 * leaves them to the tick. Measured with QoS 1 and PUBACK only: a PUBCOMP is taken to free a slot the same way
 * (not measured on either real broker).
 */
export function released(conn: Connection): void {
  const send = (q: QueuedMessage) => deliver(conn, q.message, q.qos, q.retain, false, "bypass");
  const policy = conn.ctx.profile.mqtt5.receiveMaximum;
  const queue = conn.session.queue;
  if (policy === "spec") {
    while (queue.length > 0 && conn.outbound.size < inflightLimit(conn)) {
      const next = queue.shift();
      if (next) send(next);
    }
  } else if (policy === "burst-per-ack") {
    for (let i = 0; i < inflightLimit(conn) && queue.length > 0; i++) {
      const next = queue.shift();
      if (next) send(next);
    }
  }
}

/**
 * NanoMQ 0.25.3 (measured with Receive Maximum 2 and 5–6 QoS 1 messages published 0.05–2.3 s after CONNECT,
 * retry_interval Q = 1 s; read in nmq_mqtt.c nano_pipe_timer_cb and broker_tcp.c NMQ_OPT_MQTT_GET_QOS_RESEND): the
 * messages past the maximum wait in the session cache; each tick of the subscriber's pipe timer (1.5 Q after
 * CONNECT, then each Q) re-sends the oldest one with DUP if it is at least 1.25 Q old, else nothing that tick
 * (published at 0.45 s → first at 2.5 s, at 1.15 s → 2.5 s, at 1.69 s → 3.5 s, at 2.34 s → 4.5 s); a cached message
 * past its expiry interval is dropped on the way. A guess beyond what was measured: the re-send ignores the Receive
 * Maximum (it is the session-cache retry, not the send path).
 */
function startDrip(conn: Connection): void {
  if (conn.dripping) return;
  const ctx = conn.ctx;
  const q = ctx.options.retryIntervalMs;
  const firstTick = conn.connectedAt + q * FIRST_TICK_FACTOR;
  const now = ctx.clock.now();
  const nextTick = now <= firstTick ? firstTick : firstTick + Math.ceil((now - firstTick) / q) * q;
  conn.dripping = true;
  const tick = () => {
    const queue = conn.session.queue;
    const at = ctx.clock.now();
    while (queue[0] && hasExpired(ctx.profile.mqtt5.messageExpiry, queue[0].message, at)) queue.shift();
    const next = queue[0];
    if (conn.isClosed || !next) {
      conn.dripping = false;
      return;
    }
    if (at - (next.message.receivedAt ?? at) >= q * MIN_AGE_FACTOR) {
      queue.shift();
      deliver(conn, next.message, next.qos, next.retain, true, "bypass");
    }
    conn.resumeTimer = ctx.clock.setTimeout(tick, q);
  };
  conn.resumeTimer = ctx.clock.setTimeout(tick, nextTick - now);
}
