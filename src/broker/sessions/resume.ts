import type { BrokerContext, Connection } from "../connection.js";
import { deliver } from "../deliver.js";
import { queueFull } from "./queue-full.js";
import type { QueuedMessage } from "./session.js";

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
 * NanoMQ's way (src/broker/sessions/session-policy.ts): one kept message per tick of the pipe's timer, each with DUP —
 * first the unacknowledged ones, then the queued ones, and round again while any stays unacknowledged — until none
 * is left or the connection closes. The pipe's
 * first tick is 1.5 × retry_interval after CONNECT, then one each retry_interval (0.25.3 nmq_mqtt.c:
 * nni_sleep_aio(qos_duration * 1500) in the pipe start; measured: arrivals at 1.5, 2.5, 3.5 … s at Q = 1 s). The
 * re-send itself is the tick's "resend" duty (../flow/tick-resend.ts).
 */
function dripSession(conn: Connection): void {
  conn.resendFrom = 1; // a new pipe's rid
  conn.dripping = true; // the Receive Maximum drip (../flow/tick-resend.ts) waits until this one is done
}
