import type { Packet } from "mqtt-packet";
import type { Connection } from "./connection.js";
import { handlePuback, handlePubcomp, handlePubrec, handlePubrel } from "./handlers/acks.js";
import { handleDisconnect } from "./handlers/disconnect.js";
import { handlePingreq } from "./handlers/pingreq.js";
import { handlePublish } from "./handlers/publish.js";
import { handleSubscribe } from "./handlers/subscribe.js";
import { handleUnsubscribe } from "./handlers/unsubscribe.js";

/** One line per packet type. CONNECT is handled before the connection is up; the rest are violations. */
export function dispatch(conn: Connection, packet: Packet): void {
  // biome-ignore format: the dispatcher stays one line per packet type
  switch (packet.cmd) {
    case "publish": handlePublish(conn, packet); break;
    case "puback": handlePuback(conn, packet); break;
    case "pubrec": handlePubrec(conn, packet); break;
    case "pubrel": handlePubrel(conn, packet); break;
    case "pubcomp": handlePubcomp(conn, packet); break;
    case "subscribe": handleSubscribe(conn, packet); break;
    case "unsubscribe": handleUnsubscribe(conn, packet); break;
    case "pingreq": handlePingreq(conn); break;
    case "disconnect": handleDisconnect(conn, packet); break;
    default: break; // AUTH (5.0): no enhanced authentication here; ignored
  }
}
