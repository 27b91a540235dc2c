import type { LogEntry } from "../dialects/types.js";
import type { Violation } from "../wire/violation.js";

/** How a profile answers a protocol violation (docs/broker-facts.md "Malformed packets"). */
export type Reaction =
  | {
      action: "close";
      /** Lines logged before the close lines of the cause. */
      entries: LogEntry[];
      cause: "malformed" | "rejected-publish";
      /** NanoMQ's rv for the close (129/130/17), when the close prints one. */
      rv?: number;
      /** Bytes sent to the client before closing (a DISCONNECT with a reason code). */
      sendFirst?: Buffer;
      /** Close with a TCP RST instead of a FIN (mosquitto, with unread input still buffered). */
      reset?: boolean;
    }
  /** Accepted silently: no line, no answer, the connection stays open. */
  | { action: "ignore" }
  /** Answered with `reply` after `entries` (if any) are logged, stays open (mosquitto's PINGRESP to a flagged PINGREQ). */
  | { action: "reply"; reply: Buffer; entries?: LogEntry[] };

export interface ViolationContext {
  clientId: string | null;
  protocolVersion: number;
  ip: string;
  port: number;
}

export type ReactFn = (violation: Violation, context: ViolationContext) => Reaction;

/** A v5-style DISCONNECT with a reason code and no properties: `e0 02 <rc> 00`. */
export function disconnectBytes(reasonCode: number): Buffer {
  return Buffer.from([0xe0, 0x02, reasonCode, 0x00]);
}
