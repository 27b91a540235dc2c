import { type NanomqVersion, versionAtLeast } from "../../core/profile.js";
import { findTemplate } from "../../signatures/render.js";
import type { SignatureId } from "../../signatures/types.js";
import type { LogDialect, LogEntry } from "./types.js";

/** rv values NanoMQ prints (docs/broker-facts.md "What rv means"). */
export const NANOMQ_RV = {
  /** 0x8B: connection reset / shut down / closed; follows every recv error. */
  closed: 139,
  /** nng's NNG_ETIMEDOUT, after "nego aio error: Timed out". */
  negoTimeout: 5,
  /** nng's NNG_EPROTO, after an illegal first packet (measured on 0.21.9 and 0.25.3). */
  negoProtocol: 13,
  /** nng's NNG_ECONNSHUT: the peer closed (FIN or RST) before its CONNECT was complete (measured). */
  negoShutdown: 31,
  /** 0.21.9's nego rv after a CONNECT whose remaining length is broken (0x99 PAYLOAD_FORMAT_INVALID; measured). */
  negoBadLength: 153,
} as const;

/** nng_strerror as 0.21.9 prints it inside `connect nego error rv: <reason>(<rv>)` (measured). */
const NNG_STRERROR: Record<number, string> = {
  5: "Timed out",
  13: "Protocol error",
  31: "Connection shutdown",
};
const nngStrerror = (rv: number) => NNG_STRERROR[rv] ?? `Unknown error #${rv}`;

const recvError = (reason: string): LogEntry => ({ id: "recv-error", key: "recv-error", args: { reason } });
const rv = (value: number): LogEntry => ({ id: "parse-error", key: "rv", args: { rv: value } });

/**
 * `connect nego error rv: …` for a nego failure of signature `id`: the era's own wording for it when the catalogue
 * has one (0.21.9: `rv: Timed out(5)`, `rv: Connection shutdown(31)`, …), else the generic line ≥ 0.25 prints for
 * every nego failure (`rv:(N)`, filed under connect-timeout: one text, one signature).
 */
export function negoRv(version: NanomqVersion, id: SignatureId, value: number): LogEntry {
  const own = findTemplate(id, "nego-rv", "nanomq", version) !== undefined;
  return {
    id: own ? id : "connect-timeout",
    key: "nego-rv",
    args: { rv: value, reason: nngStrerror(value) },
  };
}

/**
 * `sleep aio error 7` (WARN): the closing pipe's keepalive timer is cancelled. 0.25.3 prints it for every close of a
 * connected pipe except a keepalive kick (which that timer itself does); 0.21.9 never (measured). A known line, not a
 * signature (src/signatures/known-lines.ts). The first version that prints it is a guess (0.25.0, like the other
 * lines only 0.25.3 was seen to print).
 */
const SLEEP_AIO: LogEntry = { known: "timer-cancelled", args: { rv: 7 } };
const SLEEP_AIO_SINCE: NanomqVersion = [0, 25, 0];

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

/**
 * NanoMQ's sequences as the real 0.21.9 and 0.25.3 print them at `warn` (test/integration/nanomq/fidelity.test.ts);
 * the catalogue picks the wording of the chosen version and drops the lines that version does not print.
 */
export function nanomqDialect(version: NanomqVersion): LogDialect {
  return {
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
            negoRv(version, "connect-timeout", NANOMQ_RV.negoTimeout),
          ];
        case "retain-decode-failed":
          return [{ id: "retain-decode-failure", key: event.stage, args: { topic: event.topic } }];
        case "queue-dropping":
          return []; // NanoMQ's full session cache: not measured, no line printed (a guess)
        case "closed":
          return closedEntries(version, event);
      }
    },
  };
}

function closedEntries(
  version: NanomqVersion,
  event: { conn: { connected: boolean; clientId: string | null }; cause: string; rv?: number },
): LogEntry[] {
  const connected = event.conn.connected;
  // 0.25.3 (measured): a kicked pipe's `offline!` comes right after the kick line, before its recv error; every
  // other close prints it after its rv line. The order of lines from different threads varies run to run; this is
  // the order seen most.
  const offline: LogEntry[] = connected
    ? [{ id: "client-offline", key: "offline", args: { clientId: event.conn.clientId ?? "" } }]
    : [];
  const sleep = connected && versionAtLeast(version, SLEEP_AIO_SINCE) ? [SLEEP_AIO] : [];
  switch (event.cause) {
    case "keepalive":
      return [...offline, recvError("Object closed"), rv(NANOMQ_RV.closed)];
    case "takeover":
    case "rejected-publish":
      return [recvError("Object closed"), rv(NANOMQ_RV.closed), ...offline, ...sleep];
    case "peer-reset":
    case "peer-closed":
      if (connected) return [recvError("Connection shutdown"), rv(NANOMQ_RV.closed), ...offline, ...sleep];
      // Closed before CONNECT (health checks, port scanners): the nego fails with "Connection shutdown", rv 31.
      return [
        { id: "closed-before-connect", key: "nego-shutdown" },
        negoRv(version, "closed-before-connect", NANOMQ_RV.negoShutdown),
      ];
    case "malformed":
      return [...(event.rv === undefined ? [] : [rv(event.rv)]), ...offline, ...sleep];
    case "disconnect":
      // clean DISCONNECT: no recv error, no rv
      return [...offline, ...sleep];
    default:
      return [];
  }
}
