import type { Connection, Left } from "./connection.js";
import { keepOnTick } from "./sessions/cached-session.js";
import { scheduleWill } from "./will-delay.js";

/**
 * What a connection's close means past its socket (BrokerContext.afterClose, so that the connection does not import
 * session and will logic): its session ends now, later on the clock, or never (./sessions/session-store.ts), or —
 * NanoMQ keeping a clean-start-0 pipe — when a tick of that pipe ends it (./sessions/cached-session.ts); and its will
 * [MQTT-3.1.2-8] goes now, after its Will Delay Interval (./will-delay.ts), or with that kept session's end.
 */
export function afterClose(conn: Connection, { owner, will }: Left): void {
  const kept = owner && conn.tick !== undefined && !conn.clean;
  if (kept && conn.tick) keepOnTick(conn, conn.tick, will);
  else if (owner) conn.ctx.sessions.detach(conn.session);
  if (will && !kept) scheduleWill(conn, will);
}
