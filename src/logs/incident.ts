import type { IncidentKind } from "../signatures/incident-kinds.js";
import type { SignatureMatch } from "../signatures/matcher.js";
import type { SignatureId } from "../signatures/types.js";
import type { KickCheck } from "./kick-window.js";
import type { PipeClose } from "./pipe-close.js";
import type { LogTime } from "./timestamp.js";

/** A `pipe close!` line (NanoMQ 0.25+, `info`) that named an incident's connection, and where it was. */
export interface NamedClose extends PipeClose {
  time: LogTime | null;
  line: number;
}

/** Lines grouped into one event: a keepalive kick → `Object closed` → rv 139 is ONE keepalive-timeout incident. */
export interface Incident {
  kind: IncidentKind;
  file: string;
  first: LogTime | null;
  last: LogTime | null;
  firstLine: number;
  lastLine: number;
  /**
   * Client ids the incident's own lines name (mosquitto's always do), or the `pipe close!` line that closed its
   * connection (NanoMQ 0.25+ at `info`: `closed`). NanoMQ's `<id> offline!` lines never name one: they interleave
   * across threads and prove nothing about an incident.
   */
  clients: string[];
  /** NanoMQ 0.25+: the pipe id the kick line printed. */
  pipeId?: number;
  /** The `pipe close!` line that named the client (NanoMQ 0.25+ at `info`; grouper.ts says when it is proof). */
  closed?: NamedClose;
  /** A named kick against NanoMQ's tick model, when the log gave Q and M (its start-up block) and the connect. */
  window?: KickCheck;
  /** The signature of each line grouped into it, in order. */
  signatures: SignatureId[];
  /** Grouping had to guess: several candidates of different kinds, or a kind read from an rv alone. */
  guessed: boolean;
  /** Every line of the documented sequence was seen. */
  complete: boolean;
}

/** One catalogue message found in the log, with what the line's prefix said. */
export interface LogEvent {
  match: SignatureMatch;
  time: LogTime | null;
  thread: string | null;
  line: number;
}
