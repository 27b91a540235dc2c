import type { IConnectPacket } from "mqtt-packet";
import type { BrokerContext, Connection } from "./connection.js";
import { publishWill } from "./route.js";
import { NEVER_EXPIRES_S } from "./sessions/session.js";

type Will = NonNullable<IConnectPacket["will"]>;

/**
 * The will of a connection that closed without DISCONNECT [MQTT-3.1.2-8]. (5.0) §3.1.3.2.2 Will Delay Interval: the
 * server waits that long, or until the session ends if that is sooner, before publishing it; a new connection to
 * the session in the meantime means it is not sent [MQTT-3.1.3-9] (cancelWill). Per profile (Mqtt5Policy.willDelay):
 * - "spec": min(delay, session expiry); a session expiry of 0 ends the session with the connection, so at once;
 * - "delay-even-without-session" (mosquitto 2.0.11, measured): the same, but with a session expiry of 0 it still
 *   waits the delay (delay 2 s, expiry 0: the will after 2.3 s; delay 10 s, expiry 1 s: after 1.3 s — whole
 *   seconds there, exact here);
 * - "pipe-tick" (NanoMQ 0.25.3 and 0.21.9, measured and read in nmq_mqtt.c nano_pipe_timer_cb): the will of a
 *   session NanoMQ keeps (clean start 0) goes when a tick of the pipe's timer ends that session
 *   (src/broker/sessions/cached-session.ts, never through here); with clean start 1 it goes at once whatever the delay.
 */
export function scheduleWill(conn: Connection, will: Will): void {
  const ctx = conn.ctx;
  const clientId = conn.clientId ?? "";
  const delayS = conn.protocolVersion === 5 ? (will.properties?.willDelayInterval ?? 0) : 0;
  const policy = ctx.profile.mqtt5.willDelay;
  const expiryS = conn.session.expiryS;
  const waitS =
    delayS === 0 || policy === "pipe-tick"
      ? 0
      : policy === "delay-even-without-session" && expiryS === 0
        ? delayS
        : Math.min(delayS, expiryS === NEVER_EXPIRES_S ? delayS : expiryS);
  if (waitS === 0) {
    publishWill(ctx, clientId, will);
    return;
  }
  const pending = ctx.sessions.pendingWills;
  const earlier = pending.get(clientId);
  if (earlier) ctx.clock.clear(earlier.timer);
  const timer = ctx.clock.setTimeout(() => {
    pending.delete(clientId);
    publishWill(ctx, clientId, will);
  }, waitS * 1000);
  pending.set(clientId, { timer, will });
}

/**
 * A new connection for `clientId` while its will waits: resuming the session means the will is not sent
 * [MQTT-3.1.3-9]; a clean start ends the old session, so (spec) the will goes now — mosquitto 2.0.11 drops it then
 * too, and so does NanoMQ 0.25.3 (measured on both: delay 3 s, a clean-start reconnect after 1 s, no will within
 * 4.5 s).
 */
export function cancelWill(ctx: BrokerContext, clientId: string, resumed: boolean): void {
  const pending = ctx.sessions.pendingWills.get(clientId);
  if (!pending) return;
  ctx.clock.clear(pending.timer);
  ctx.sessions.pendingWills.delete(clientId);
  if (!resumed && ctx.profile.mqtt5.willDelay === "spec") publishWill(ctx, clientId, pending.will);
}
