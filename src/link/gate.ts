import { activeAt, type StallFault } from "./types.js";

const endOf = (s: StallFault) =>
  s.forMs === null || s.forMs === undefined ? Number.POSITIVE_INFINITY : (s.atMs ?? 0) + s.forMs;

/**
 * Whether a stall holds a connection `since` ms after the link started: null = no; otherwise the `since` at
 * which it ends (Infinity = for good). `establishedSince` is when the connection was dialed through (Infinity:
 * not yet, a new connection, which waits before it is dialed — its SYN is "lost" — unless the stall's scope
 * is "existing").
 */
export function stalledUntil(
  stalls: readonly StallFault[],
  since: number,
  establishedSince = Number.POSITIVE_INFINITY,
): number | null {
  let until: number | null = null;
  for (const s of stalls) {
    if (!activeAt(s, since)) continue;
    if (s.scope === "existing" && establishedSince >= (s.atMs ?? 0)) continue;
    until = Math.max(until ?? 0, endOf(s));
  }
  return until;
}

/**
 * Whether a way's exit is held, `since` ms after the link started, for a connection dialed through to the broker
 * `establishedSince` ms after it: null = open; otherwise the `since` at which to look again (Infinity = held for
 * good: a stall without end, or a connection stranded by a `strand` stall it lived through).
 */
export function heldUntil(
  stalls: readonly StallFault[],
  since: number,
  establishedSince: number,
): number | null {
  for (const s of stalls) {
    const end = endOf(s);
    // stranded: it was through before the stall began (a connection held back by it is dialed only at its end)
    if (s.release === "strand" && since >= end && establishedSince < (s.atMs ?? 0))
      return Number.POSITIVE_INFINITY;
  }
  return stalledUntil(stalls, since, establishedSince);
}
