import type { BrokerContext } from "../connection.js";
import type { Session } from "./session.js";

/**
 * A message the session's full queue cannot take: dropped and counted; the first of a run is logged the way the
 * profile's broker logs it (mosquitto 2.0.11, measured with max_queued_messages 5 and the default 1000: one
 * `Outgoing messages are being dropped for client <id>.` when dropping starts, the first messages kept). A run ends
 * when the queue is emptied on resume — when mosquitto logs again after that is not measured (a guess).
 */
export function queueFull(ctx: BrokerContext, session: Session, tid: number): void {
  session.dropped++;
  ctx.stats.queueOverflow++;
  if (session.dropping) return;
  session.dropping = true;
  ctx.log.event({ type: "queue-dropping", clientId: session.clientId }, session.clientId, tid);
}
