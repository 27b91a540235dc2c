import type { IUnsubscribePacket } from "mqtt-packet";
import type { Connection } from "../connection.js";

const SUCCESS = 0x00;
const NO_SUBSCRIPTION_EXISTED = 0x11;

/** UNSUBSCRIBE → UNSUBACK (5.0: one reason code per filter) [MQTT-3.10.4-4]. */
export function handleUnsubscribe(conn: Connection, packet: IUnsubscribePacket): void {
  const clientId = conn.clientId ?? "";
  const codes = packet.unsubscriptions.map((filter) =>
    conn.ctx.subscriptions.remove(clientId, filter) ? SUCCESS : NO_SUBSCRIPTION_EXISTED,
  );
  conn.send({
    cmd: "unsuback",
    messageId: packet.messageId ?? 0,
    ...(conn.protocolVersion === 5 ? { granted: codes } : {}),
  } as Parameters<Connection["send"]>[0]);
}
