import type { IConnectPacket } from "mqtt-packet";
import type { Connection } from "../connection.js";
import type { PipeTick } from "../keepalive/pipe-tick.js";
import { publishWill } from "../route.js";

type Will = NonNullable<IConnectPacket["will"]>;

/**
 * NanoMQ keeps the pipe of a clean-start-0 connection when the connection goes ("cached", nmq_mqtt.c
 * nano_pipe_close), and its timer runs on: the "cached" duty of the pipe's tick (../keepalive/pipe-tick.ts). At each
 * tick, after n += 1 (n counts on from the last packet the connection received), the kept session ends when
 * - the CONNECT's will carried a Will Delay Interval (0 too) and CONNECT + that delay has passed (`will_delay_interval`
 *   is a time stamp taken at CONNECT), or
 * - (5.0) n·Q > the Session Expiry Interval (0 included: then at the first tick); a 3.1.1 session never ends so.
 * Its will, if it closed without DISCONNECT, goes out then and only then: a kept session whose will carries no delay
 * waits for its expiry like any other, and a 3.1.1 one never sends its will. A resume or a clean start before that
 * stops the duty (SessionStore.open), and the will with it.
 *
 * Measured on 0.25.3 and 0.21.9 at Q = 1 s (docs/nanomq-fidelity.md, "One tick per pipe"): connected 2.2 s, will
 * delay 2 s → the will at the 2.5 s tick; expiry 2 s, silent since CONNECT → at 3.5 s (n = 3), a packet at 2.0 s →
 * 4.5 s; no delay, expiry 60 s → no will within 5 s; 3.1.1 → none; a DISCONNECTed session with a 1 s will delay
 * gone at 3 s, still there at 1 s; expiry 0 still there 0.5 s after the drop. A keepalive kick on 0.25.3 stops the
 * timer, so that session never ends on a tick and its will never goes (0.21.9: one tick later).
 */
export function keepOnTick(conn: Connection, tick: PipeTick, will: Will | undefined): void {
  const ctx = conn.ctx;
  const session = conn.session;
  const clientId = session.clientId;
  const qMs = ctx.options.retryIntervalMs;
  const willDeadline = conn.willDelayS === undefined ? undefined : conn.connectedAt + conn.willDelayS * 1000;
  const v5 = conn.protocolVersion === 5;
  const stop = tick.on("cached", ({ at, counter }) => {
    const willDue = willDeadline !== undefined && at > willDeadline;
    const expired = v5 && counter * qMs > session.expiryS * 1000;
    if (!willDue && !expired) return;
    ctx.sessions.end(session); // stops this duty, and the pipe's timer with it
    if (will) publishWill(ctx, clientId, will);
  });
  ctx.sessions.keep(session, stop);
}
