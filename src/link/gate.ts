import { activeAt, type StallFault } from "./types.js";

const endOf = (s: StallFault) =>
  s.forMs === null || s.forMs === undefined ? Number.POSITIVE_INFINITY : (s.atMs ?? 0) + s.forMs;

/**
 * Whether a stall is active `since` ms after the link started: null = no; otherwise the `since` at which it ends
 * (Infinity = for good). New connections wait for that end before they are dialed (their SYN is "lost").
 */
export function stalledUntil(stalls: readonly StallFault[], since: number): number | null {
  let until: number | null = null;
  for (const s of stalls) if (activeAt(s, since)) until = Math.max(until ?? 0, endOf(s));
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
    if (s.release === "strand" && since >= end && establishedSince < end) return Number.POSITIVE_INFINITY;
  }
  return stalledUntil(stalls, since);
}
