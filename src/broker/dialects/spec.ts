import type { LogDialect } from "./types.js";

/** mqdiag's neutral wording for the `spec` profile: `<ISO time> <LEVEL> <msg>`. */
export const specDialect: LogDialect = {
  name: "spec",
  format: (line) => `${new Date(line.wallMs).toISOString()} ${line.level} ${line.message}`,
  entries(event) {
    switch (event.type) {
      case "accepted":
        return [];
      case "connected": {
        const c = event.conn;
        return [
          {
            id: "client-connected",
            key: "connected",
            args: { clientId: c.clientId ?? "", ip: c.ip, port: c.port, keepalive: c.keepaliveS },
          },
        ];
      }
      case "kicked":
        return [
          {
            id: "keepalive-timeout",
            key: "kick",
            args: { clientId: event.conn.clientId ?? "", silentMs: event.silentMs, limitMs: event.limitMs },
          },
        ];
      case "takeover":
        return [{ id: "takeover", key: "collision", args: { clientId: event.old.clientId ?? "" } }];
      case "connect-timeout":
        return [
          { id: "connect-timeout", key: "nego-timeout", args: { ip: event.conn.ip, port: event.conn.port } },
        ];
      case "queue-dropping":
        return [];
      case "retain-decode-failed":
        return event.stage === "deliver"
          ? [{ id: "retain-decode-failure", key: "deliver", args: { topic: event.topic } }]
          : [];
      case "closed": {
        const clientId = event.conn.clientId ?? "";
        if (!event.conn.connected) return [];
        if (event.cause === "peer-closed" || event.cause === "peer-reset")
          return [{ id: "peer-closed", key: "closed", args: { clientId } }];
        if (event.cause === "disconnect")
          return [{ id: "client-disconnect", key: "disconnected", args: { clientId } }];
        return [];
      }
    }
  },
};
