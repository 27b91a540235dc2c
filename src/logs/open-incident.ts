import type { Incident } from "./incident.js";

/** The grouper's working state: an incident still awaiting lines, and the sequence step it is at. */
export type Stage =
  | "await-decode"
  | "await-close"
  | "await-rv"
  | "await-nego"
  | "await-disconnected"
  | "await-mosquitto-close"
  | "done";

/** mosquitto's client id for a connection that has not sent CONNECT yet. */
export const UNKNOWN = "<unknown>";

export interface Open extends Incident {
  stage: Stage;
  expectRv: readonly number[];
  thread: string | null;
  /** The rv line that ended it (a malformed packet's rv is its `pipe close!` reason code). */
  rv?: number;
}

/** NanoMQ's malformed-packet lines by template key, and the rv that ends each one's incident. */
export const MALFORMED_RV: Record<string, number> = {
  "remaining-length": 17,
  qos: 130,
  "packet-id-0": 130,
  "invalid-type": 129,
  "invalid-connect": 129,
  "invalid-connack": 129,
  oversize: 149,
};

/**
 * Picks the incident a follow-up line belongs to: the oldest candidate on the line's own thread, else the oldest
 * candidate; `ambiguous` when there was more than one to choose from.
 */
export function preferThread<T extends { thread: string | null }>(
  candidates: T[],
  thread: string | null,
): { item: T; sameThread: boolean; ambiguous: boolean } | undefined {
  if (candidates.length === 0) return undefined;
  const same = thread === null ? [] : candidates.filter((c) => c.thread === thread);
  if (same.length > 0) return { item: same[0] as T, sameThread: true, ambiguous: same.length > 1 };
  return { item: candidates[0] as T, sameThread: false, ambiguous: candidates.length > 1 };
}
