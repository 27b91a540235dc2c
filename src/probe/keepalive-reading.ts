import { round } from "./connect-params.js";
import { SPEC_MULTIPLIER } from "./keepalive-window.js";

/** The plain-words model behind a set of kick delays; reporters turn the code into words. */
export type Reading =
  | { code: "tick-dominated"; tick: number; floor: number }
  | { code: "sweep-dominated"; floor: number; granularity: number }
  | { code: "multiplier-with-sweep"; multiplier: number; granularity: number }
  | { code: "multiplier"; multiplier: number }
  | { code: "single-keepalive"; ratio: number; granularity: number }
  | { code: "none" };

export interface ReadingInput {
  groups: readonly { keepalive: number; min: number | null; ratio: number | null }[];
  multiplier: number | null;
  granularity: number | null;
  kicked: number;
}

/** "≈1.5× with a ~6 s sweep", "≈3×", "a ~10 s tick dominates small keepalives", as data. */
export function keepaliveReading({ groups, multiplier, granularity, kicked }: ReadingInput): Reading {
  if (kicked === 0) return { code: "none" };
  const mins = groups.map((g) => g.min).filter((m): m is number => m !== null);
  const floor = Math.min(...mins);
  const largest = Math.max(...groups.map((g) => g.keepalive));
  // A per-connection tick (NanoMQ's retry_interval Q) puts a floor of about 2.5 Q under every kick.
  if (multiplier !== null && multiplier < 0.75 && floor > 2 * SPEC_MULTIPLIER * largest) {
    return { code: "tick-dominated", tick: round(floor / 2.5, 0), floor: round(floor, 1) };
  }
  // A slope far below 1 with no early kick: one periodic sweep kicked sessions of every keepalive together.
  if (multiplier !== null && multiplier < 0.75) {
    return { code: "sweep-dominated", floor: round(floor, 1), granularity: round(granularity ?? 0, 0) };
  }
  if (multiplier === null) {
    const only = groups.find((g) => g.ratio !== null);
    return { code: "single-keepalive", ratio: only?.ratio ?? 0, granularity: granularity ?? 0 };
  }
  if (granularity !== null && granularity >= 1) {
    return {
      code: "multiplier-with-sweep",
      multiplier: round(multiplier, 1),
      granularity: round(granularity, 0),
    };
  }
  return { code: "multiplier", multiplier: round(multiplier, 1) };
}
