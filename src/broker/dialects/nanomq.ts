import type { LogDialect, LogEntry } from "./types.js";

/** rv values NanoMQ prints (signatures.md "What rv means"). */
export const NANOMQ_RV = {
  /** 0x8B: connection reset / shut down / closed; follows every recv error. */
  closed: 139,
  /** nng's NNG_ETIMEDOUT, after "nego aio error: Timed out". */
  negoTimeout: 5,
  /** nng's NNG_EPROTO, after an illegal first packet (our pick; the real value is not in signatures.md). */
  negoProtocol: 13,
} as const;

const recvError = (reason: string): LogEntry => ({ id: "recv-error", key: "recv-error", args: { reason } });
const rv = (value: number): LogEntry => ({ id: "parse-error", key: "rv", args: { rv: value } });

const pad = (n: number) => String(n).padStart(2, "0");

/** `YYYY-mm-dd HH:MM:SS [tid] LEVEL <file>:<line> <func>: <msg>` (console format, local time). */
function formatNanomq(line: Parameters<LogDialect["format"]>[0]): string {
  const d = new Date(line.wallMs);
  const stamp = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(
    d.getMinutes(),
  )}:${pad(d.getSeconds())}`;
  const where = line.file ? ` ${line.file}${line.func ? ` ${line.func}` : ""}:` : "";
  return `${stamp} [${line.tid}] ${line.level.padEnd(5)}${where} ${line.message}`;
}

/** NanoMQ's sequences (signatures.md "Sequences"); the catalogue picks the wording of the chosen version. */
export const nanomqDialect: LogDialect = {
  name: "nanomq",
  format: formatNanomq,
  entries(event) {
    switch (event.type) {
      case "accepted":
        return [];
      case "connected":
        return [{ id: "client-connected", key: "online", args: { clientId: event.conn.clientId ?? "" } }];
      case "kicked":
        return [{ id: "keepalive-timeout", key: "kick", args: { pipeId: event.conn.pipeId } }];
      case "takeover":
        return [{ id: "takeover", key: "collision" }];
      case "connect-timeout":
        return [
          { id: "connect-timeout", key: "nego-timeout" },
          { id: "connect-timeout", key: "nego-rv", args: { rv: NANOMQ_RV.negoTimeout } },
        ];
      case "retain-decode-failed":
        return [{ id: "retain-decode-failure", key: event.stage, args: { topic: event.topic } }];
      case "closed":
        return closedEntries(event);
    }
  },
};

function closedEntries(event: {
  conn: { connected: boolean; clientId: string | null };
  cause: string;
  rv?: number;
}) {
  const offline: LogEntry[] = event.conn.connected
    ? [{ id: "client-offline", key: "offline", args: { clientId: event.conn.clientId ?? "" } }]
    : [];
  switch (event.cause) {
    case "keepalive":
    case "takeover":
    case "rejected-publish":
      return [recvError("Object closed"), rv(NANOMQ_RV.closed), ...offline];
    case "peer-reset":
    case "peer-closed":
      return event.conn.connected ? [recvError("Connection shutdown"), rv(NANOMQ_RV.closed), ...offline] : [];
    case "malformed":
      return [...(event.rv === undefined ? [] : [rv(event.rv)]), ...offline];
    case "disconnect":
      // clean DISCONNECT: no WARN line at all
      return offline;
    default:
      return [];
  }
}
