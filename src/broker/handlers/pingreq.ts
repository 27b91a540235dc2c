import type { Connection } from "../connection.js";

/** PINGREQ → PINGRESP [MQTT-3.12.4-1], unless the `withholdPingresp` fault says otherwise. */
export function handlePingreq(conn: Connection): void {
  if (conn.ctx.faults.withholdPingresp?.(conn.clientId ?? "")) return;
  conn.send({ cmd: "pingresp" });
}
