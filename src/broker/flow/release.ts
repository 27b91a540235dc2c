import type { Connection } from "../connection.js";
import { deliver } from "../deliver.js";
import type { QueuedMessage } from "../sessions/session.js";
import { inflightLimit } from "./receive-maximum.js";

/**
 * A PUBACK or PUBCOMP freed a slot: "spec" sends the next waiting message while there is room;
 * "burst-per-ack" sends up to Receive Maximum of them whatever is in flight (mosquitto 2.0.11, measured with
 * Receive Maximum 1, 2 and 3 and 10 messages acknowledged one at a time: 2, 4, 6, 8, 10 arrived for 2); "drip"
 * leaves them to the tick (./tick-resend.ts). Measured with QoS 1 and PUBACK only: a PUBCOMP is taken to free a slot
 * the same way (not measured on either real broker).
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
