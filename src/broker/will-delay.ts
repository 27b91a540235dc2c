import type { IConnectPacket } from "mqtt-packet";
import type { BrokerContext } from "./broker-context.js";
import type { Connection } from "./connection.js";
import { publishWill } from "./route.js";
import { NEVER_EXPIRES_S } from "./sessions/session.js";

type Will = NonNullable<IConnectPacket["will"]>;

/** NanoMQ's pipe timer: the first tick 1.5 × retry_interval after CONNECT, then one each retry_interval. */
const FIRST_TICK_FACTOR = 1.5;

/**
 * The will of a connection that closed without DISCONNECT [MQTT-3.1.2-8]. (5.0) §3.1.3.2.2 Will Delay Interval: the
 * server waits that long, or until the session ends if that is sooner, before publishing it; a new connection to
 * the session in the meantime means it is not sent [MQTT-3.1.3-9] (cancelWill). Per profile (Mqtt5Policy.willDelay):
 * - "spec": min(delay, session expiry); a session expiry of 0 ends the session with the connection, so at once;
 * - "delay-even-without-session" (mosquitto 2.0.11, measured): the same, but with a session expiry of 0 it still
 *   waits the delay (delay 2 s, expiry 0: the will after 2.3 s; delay 10 s, expiry 1 s: after 1.3 s — whole
 *   seconds there, exact here);
 * - "pipe-tick" (NanoMQ 0.25.3, measured and read in nmq_mqtt.c nano_pipe_timer_cb): only a session NanoMQ caches
 *   (clean start 0) waits; its pipe timer keeps ticking (1.5 Q after CONNECT, then each Q) and the will goes at the
 *   first tick after the delay has passed, or at the first tick j (counted from the drop) with j·Q > session expiry
 *   — measured with Q = 1 s: delay 2 / session 60 → 2.5 s, delay 10 / session 1 → 2.5 s, delay 2 / session 0 → 1.5 s,
 *   a resume within the delay → none; with clean start 1 the will goes at once whatever the delay. (NanoMQ counts
 *   j from the last packet it received, here from the drop: a guess where they differ.)
 */
export function scheduleWill(conn: Connection, will: Will): void {
  const ctx = conn.ctx;
  const clientId = conn.clientId ?? "";
  const delayS = conn.protocolVersion === 5 ? (will.properties?.willDelayInterval ?? 0) : 0;
  const policy = ctx.profile.mqtt5.willDelay;
  const expiryS = conn.session.expiryS;
  const waitS =
    delayS === 0 || (policy === "pipe-tick" && conn.clean)
      ? 0
      : policy === "pipe-tick"
        ? nanomqWillTickMs(conn, delayS, expiryS) / 1000
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

/** Clock ms from now to the NanoMQ pipe tick that publishes the will ("pipe-tick" above). */
function nanomqWillTickMs(conn: Connection, delayS: number, expiryS: number): number {
  const q = conn.ctx.options.retryIntervalMs;
  const now = conn.ctx.clock.now();
  const firstTick = conn.connectedAt + q * FIRST_TICK_FACTOR;
  let tick = now < firstTick ? firstTick : firstTick + Math.ceil((now - firstTick) / q) * q;
  if (tick === now) tick += q;
  for (let j = 1; ; j++, tick += q) {
    if (tick - now > delayS * 1000 || (j * q) / 1000 > expiryS) return tick - now;
  }
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
