import type { IncidentKind } from "../signatures/incident-kinds.js";
import type { SignatureMatch } from "../signatures/matcher.js";
import type { SignatureId } from "../signatures/types.js";
import type { LogTime } from "./timestamp.js";

/** Lines grouped into one event: a keepalive kick → `Object closed` → rv 139 is ONE keepalive-timeout incident. */
export interface Incident {
  kind: IncidentKind;
  file: string;
  first: LogTime | null;
  last: LogTime | null;
  firstLine: number;
  lastLine: number;
  /**
   * Client ids the incident's own lines name (mosquitto's always do). NanoMQ's never do: its `<id> offline!` lines
   * interleave across threads and prove nothing about an incident, so NanoMQ incidents stay unnamed.
   */
  clients: string[];
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
