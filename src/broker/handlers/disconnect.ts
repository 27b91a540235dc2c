import type { IDisconnectPacket } from "mqtt-packet";
import type { Connection } from "../connection.js";
import { publishWill } from "../route.js";

/** 5.0 reason 0x04: disconnect, but publish the will. */
const DISCONNECT_WITH_WILL = 0x04;

/** DISCONNECT: a clean close; the will is discarded [MQTT-3.1.2-10] unless 5.0 reason 0x04 asks for it. */
export function handleDisconnect(conn: Connection, packet: IDisconnectPacket): void {
  if (packet.reasonCode === DISCONNECT_WITH_WILL && conn.will)
    publishWill(conn.ctx, conn.clientId ?? "", conn.will);
  conn.will = undefined;
  // (5.0) §3.14.2.2.2: DISCONNECT may change the Session Expiry Interval, but not from 0 to more [MQTT-3.14.2-2]
  // (a protocol error; here it is ignored and the session ends as CONNECT said).
  const expiryS = packet.properties?.sessionExpiryInterval;
  if (conn.protocolVersion === 5 && expiryS !== undefined && conn.session.expiryS !== 0)
    conn.session.expiryS = expiryS;
  conn.close("disconnect");
}
