import type { Dialect, LineArgs, LogLevel, SignatureId } from "../../signatures/types.js";
import type { CloseCause } from "../types.js";

/**
 * One line a dialect wants printed: a catalogue signature + template key, and the template's arguments; or a known
 * line that is no signature (src/signatures/known-lines.ts, e.g. NanoMQ's `sleep aio error 7`), by its id.
 */
export type LogEntry = { id: SignatureId; key: string; args?: LineArgs } | { known: string; args?: LineArgs };

/** What a dialect needs to know about a connection to word its lines. */
export interface ConnInfo {
  clientId: string | null;
  pipeId: number;
  ip: string;
  port: number;
  protocolVersion: number;
  clean: boolean;
  /** The keepalive in force (s). */
  keepaliveS: number;
  /** The keepalive the CONNECT asked for (s); differs under a Server Keep Alive rule. */
  requestedKeepaliveS: number;
  /** CONNECT accepted. */
  connected: boolean;
}

/** Broker events that print lines; each dialect words (or ignores) each one. */
export type DialectEvent =
  | { type: "accepted"; conn: ConnInfo; listenerPort: number }
  | { type: "connected"; conn: ConnInfo }
  | { type: "kicked"; conn: ConnInfo; silentMs: number; limitMs: number }
  | { type: "takeover"; old: ConnInfo }
  | { type: "closed"; conn: ConnInfo; cause: CloseCause; rv?: number }
  | { type: "connect-timeout"; conn: ConnInfo }
  | { type: "retain-decode-failed"; stage: "store" | "deliver"; topic: string }
  | { type: "queue-dropping"; clientId: string };

export interface LogDialect {
  readonly name: Dialect;
  entries(event: DialectEvent): LogEntry[];
  /** The full line: the dialect's timestamp/level/source prefix around `message`. */
  format(line: {
    level: LogLevel;
    message: string;
    file?: string;
    func?: string;
    wallMs: number;
    tid: number;
  }): string;
}
