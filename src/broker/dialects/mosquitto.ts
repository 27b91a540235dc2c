import type { LineArgs } from "../../signatures/types.js";
import { MOSQUITTO_UNKNOWN_ID as MOSQUITTO_UNKNOWN_CLIENT } from "../profiles/mosquitto-measured.js";
import type { LogDialect, LogEntry } from "./types.js";

/** mosquitto's `p<n>` protocol number: 1 = 3.1, 2 = 3.1.1, 5 = 5.0. */
function protocolNumber(version: number): number {
  return version === 4 ? 2 : version === 3 ? 1 : version;
}

/** mosquitto 2.0's lines (src/loop.c etc.): `<epoch seconds>: <msg>`. */
export const mosquittoDialect: LogDialect = {
  name: "mosquitto",
  format: (line) => `${Math.floor(line.wallMs / 1000)}: ${line.message}`,
  entries(event) {
    switch (event.type) {
      case "accepted": {
        // Measured on 2.0.11: logged for every accepted TCP connection, before any CONNECT.
        const args: LineArgs = { ip: event.conn.ip, port: event.conn.port, listenerPort: event.listenerPort };
        return [{ id: "client-connected", key: "new-connection", args }];
      }
      case "connected": {
        const c = event.conn;
        return [
          {
            id: "client-connected",
            key: "new-client",
            args: {
              ip: c.ip,
              port: c.port,
              clientId: c.clientId ?? "",
              protocol: protocolNumber(c.protocolVersion),
              clean: c.clean ? 1 : 0,
              // what the CONNECT asked: 2.0.11 logs `k120` for a client max_keepalive 10 cut to 10 (measured)
              keepalive: c.requestedKeepaliveS,
            },
          },
        ];
      }
      case "kicked":
      case "connect-timeout": {
        const clientId = event.conn.clientId ?? MOSQUITTO_UNKNOWN_CLIENT;
        return [{ id: "keepalive-timeout", key: "kick", args: { clientId } }];
      }
      case "takeover":
        return [{ id: "takeover", key: "collision", args: { clientId: event.old.clientId ?? "" } }];
      case "retain-decode-failed":
        return [];
      case "queue-dropping":
        return [{ known: "queue-dropping", args: { clientId: event.clientId } }];
      case "closed": {
        const clientId = event.conn.clientId ?? MOSQUITTO_UNKNOWN_CLIENT;
        const entries: LogEntry[] = [];
        if (event.cause === "peer-closed" || event.cause === "peer-reset")
          entries.push({ id: "peer-closed", key: "closed", args: { clientId } });
        if (event.cause === "disconnect")
          entries.push(
            { id: "client-disconnect", key: "received", args: { clientId } },
            { id: "client-disconnect", key: "disconnected", args: { clientId } },
          );
        return entries;
      }
    }
  },
};
