import { round } from "../core/round.js";
import type { Inferred } from "./keepalive-fit-types.js";
import { SPEC_MULTIPLIER } from "./keepalive-window.js";

/** The plain-words model behind a set of kick delays; reporters turn the code into words. */
export type Reading =
  | { code: "tick"; tick: number; multiplier: number | null; range: [number, number | null] | null }
  | { code: "tick-dominated"; tick: number; floor: number }
  | { code: "sweep-dominated"; floor: number; granularity: number }
  | { code: "multiplier-with-sweep"; multiplier: number; granularity: number }
  | { code: "multiplier"; multiplier: number }
  | { code: "single-keepalive"; ratio: number; granularity: number }
  | { code: "none" };

export interface ReadingInput {
  groups: readonly { keepalive: number; min: number | null; ratio: number | null }[];
  inferred: Inferred;
  kicked: number;
}

/**
 * "NanoMQ's tick: retry_interval 1 s, multiplier 1.25", "≈1.5× with a ~6 s sweep", "≈3×", as data. The fitted
 * model decides (keepalive-fit.ts); the model-free readings remain for what no model fits.
 */
export function keepaliveReading({ groups, inferred, kicked }: ReadingInput): Reading {
  if (kicked === 0) return { code: "none" };
  if (inferred.model === "tick" && inferred.tickS !== null) {
    return {
      code: "tick",
      tick: inferred.tickS,
      multiplier: inferred.multiplier,
      range: inferred.multiplierRange,
    };
  }
  if (inferred.model === "exact" && inferred.multiplier !== null && inferred.alsoFits.length === 0) {
    return { code: "multiplier", multiplier: round(inferred.multiplier, 2) };
  }
  const settled = inferred.model !== "unknown" && inferred.alsoFits.length === 0;
  const multiplier = settled ? inferred.multiplier : inferred.slope;
  const granularity = inferred.granularityS ?? inferred.granularity;
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
