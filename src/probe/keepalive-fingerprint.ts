import { round } from "../core/round.js";
import type { CheckStatus } from "./check-ids.js";
import { fitKeepaliveModel } from "./keepalive-fit.js";
import type { Inferred } from "./keepalive-fit-types.js";
import { keepaliveReading, type Reading } from "./keepalive-reading.js";
import {
  type EarliestKick,
  earliestKick,
  kickTiming,
  LATE_TOLERANCE_S,
  SPEC_MULTIPLIER,
  specLimitS,
} from "./keepalive-window.js";
import { leastSquares, median } from "./stats.js";

export interface KickSample {
  keepalive: number;
  /** Seconds from the last packet to the close; null = not closed within max-wait. */
  kickAfter: number | null;
  /** The stagger round (keepalive-plan.ts): sessions of one round met the broker's sweep at the same phase. */
  round?: number;
  /** Clock seconds of the session's CONNECT (a sweep shows in absolute close times). */
  startAt?: number;
  /** Seconds the session waited without a close (not kicked). */
  waited?: number;
  /** Added by an adaptive round (keepalive-adaptive.ts) to pin the model's parameters; not staggered. */
  adaptive?: boolean;
}

type Kick = { keepalive: number; kickAfter: number; round?: number; adaptive?: boolean };

export interface KeepaliveGroup {
  keepalive: number;
  sessions: number;
  kicked: number;
  min: number | null;
  median: number | null;
  max: number | null;
  /** median kick delay / keepalive */
  ratio: number | null;
}

export type FingerprintCode =
  | "within-window"
  | "early-kick"
  | "early-whole-second"
  | "late-kick"
  | "not-kicked"
  | "no-samples";

/**
 * The inferred model. `model` and its parameters come from the fit (keepalive-fit.ts): `multiplier` is the
 * model's (exact: kick = m × keepalive; tick: NanoMQ's keepalive_multiplier; sweep: the slope), `tickS` NanoMQ's
 * retry_interval, `granularityS` a sweep's period. `slope`, `intercept` and `granularity` are the model-free
 * numbers (least-squares slope of kick over keepalive, mean offset, spread at one keepalive).
 */

export interface Fingerprint {
  groups: KeepaliveGroup[];
  inferred: Inferred;
  reading: Reading;
  status: CheckStatus;
  code: FingerprintCode;
  /** Largest kick - 1.5 × keepalive among late kicks (s). */
  lag: number | null;
  /** Earliest kick / keepalive among kicks before 1.5 × keepalive. */
  earliestRatio: number | null;
  /** The kick furthest before its 1.5 × keepalive limit, null when none came early. */
  earliest: EarliestKick | null;
  notKicked: number;
  /** Kicks before 1.5 × keepalive, whole-second ones included. */
  belowSpec: number;
}

/**
 * Infers the broker's keepalive model from silent sessions' kick delays: the model fit (keepalive-fit.ts) over
 * every sample, adaptive ones included, and the model-free slope and spread (infer below, keepalive-plan.ts).
 * Then judges each kick of the REQUESTED keepalives against 1.5 × keepalive (keepalive-window.ts): a kick before
 * it is never a pass. Adaptive samples pin the model's parameters and do not change the verdict, so a check's
 * outcome depends on the keepalives the user asked for, not on which the fit happened to need.
 */
export function fingerprint(samples: readonly KickSample[], maxWaitS: number): Fingerprint {
  const judged = samples.filter((s) => !s.adaptive);
  const kicked = judged.filter((s): s is Kick => s.kickAfter !== null);
  const allKicked = samples.filter((s): s is Kick => s.kickAfter !== null);
  const keepalives = [...new Set(samples.map((s) => s.keepalive))].sort((a, b) => a - b);
  const groups = keepalives.map((keepalive) => group(keepalive, samples));
  const free = infer(allKicked, groups);
  const fit = fitKeepaliveModel(samples, { slope: free.slope, spreadGranularity: free.granularity });
  const inferred: Inferred = {
    model: fit.model,
    multiplier: fit.model === "unknown" ? free.slope : fit.multiplier,
    multiplierRange: fit.multiplierRange,
    tickS: fit.tickS,
    granularityS: fit.granularityS,
    ...free,
    ...(fit.wholeSeconds ? { wholeSeconds: fit.wholeSeconds } : {}),
    alsoFits: fit.alsoFits,
    open: fit.open,
  };
  const timings = kicked.map((s) => kickTiming(s.keepalive, s.kickAfter));
  const below = kicked.filter((_, i) => timings[i] === "too-early" || timings[i] === "whole-second-early");
  const lags = kicked
    .filter((_, i) => timings[i] === "late")
    .map((s) => s.kickAfter - specLimitS(s.keepalive));
  const notKicked = judged.filter((s) => s.kickAfter === null);
  // Not closed within max-wait is only evidence when max-wait reaches past the late threshold.
  const lingering = notKicked.filter(
    (s) => (s.waited ?? maxWaitS) >= specLimitS(s.keepalive) + LATE_TOLERANCE_S,
  );
  const base = {
    groups,
    inferred,
    reading: keepaliveReading({ groups, inferred, kicked: allKicked.length }),
    lag: lags.length ? round(Math.max(...lags), 2) : null,
    earliestRatio: below.length ? round(Math.min(...below.map((s) => s.kickAfter / s.keepalive)), 2) : null,
    earliest: earliestKick(kicked),
    notKicked: notKicked.length,
    belowSpec: below.length,
  };
  const verdict = (status: CheckStatus, code: FingerprintCode): Fingerprint => ({ ...base, status, code });
  if (judged.length === 0) return verdict("error", "no-samples");
  // [MQTT-3.1.2-24] (3.1.1): the broker may disconnect only after 1.5 × keepalive without a packet.
  if (timings.includes("too-early")) return verdict("fail", "early-kick");
  if (lingering.length) return verdict("fail", "not-kicked");
  if (timings.includes("whole-second-early")) return verdict("warn", "early-whole-second");
  if (notKicked.length) return verdict("warn", "not-kicked");
  if (lags.length) return verdict("warn", "late-kick");
  return verdict("pass", "within-window");
}

/**
 * Multiplier = the median of each stagger round's least-squares slope (a round shares one sweep phase, so a
 * sweep adds the same wait to all its keepalives); without rounds, one fit over every kick. Granularity = the
 * spread of the kicks at a fixed keepalive (the median over keepalives), scaled by m/(m−1) because m evenly
 * staggered sessions span (m−1)/m of the sweep period.
 */
function infer(
  all: readonly Kick[],
  groups: readonly KeepaliveGroup[],
): { slope: number | null; intercept: number | null; granularity: number | null } {
  // the slope and spread come from the staggered sessions; adaptive ones all start at once
  const staggered = all.filter((s) => !s.adaptive);
  const kicked = staggered.length ? staggered : all;
  const distinct = new Set(kicked.map((s) => s.keepalive)).size;
  const rounds = [...new Set(kicked.map((s) => s.round))];
  const byRound = rounds.every((r) => r !== undefined) && rounds.length >= 2;
  const slopes = byRound
    ? rounds
        .map((r) => kicked.filter((s) => s.round === r))
        .filter((kicks) => new Set(kicks.map((s) => s.keepalive)).size >= 2)
        .map((kicks) => fitSlope(kicks))
    : [];
  const fit = slopes.length ? median(slopes) : distinct >= 2 ? fitSlope(kicked) : undefined;
  const offsets = kicked.map((s) => s.kickAfter - (fit ?? SPEC_MULTIPLIER) * s.keepalive);
  const intercept = fit === undefined ? null : offsets.reduce((a, b) => a + b, 0) / offsets.length;
  const spreads = groups
    .filter((g) => g.kicked >= 2 && g.min !== null && g.max !== null)
    .map((g) => (((g.max as number) - (g.min as number)) * g.kicked) / (g.kicked - 1));
  return {
    slope: fit === undefined ? null : round(fit, 2),
    intercept: intercept === null ? null : round(intercept, 2),
    granularity: spreads.length ? round(median(spreads), 1) : null,
  };
}

const fitSlope = (kicks: readonly Kick[]) =>
  leastSquares(kicks.map((s) => ({ x: s.keepalive, y: s.kickAfter }))).slope;

function group(keepalive: number, samples: readonly KickSample[]): KeepaliveGroup {
  const all = samples.filter((s) => s.keepalive === keepalive);
  const delays = all.map((s) => s.kickAfter).filter((d): d is number => d !== null);
  const med = delays.length ? median(delays) : null;
  return {
    keepalive,
    sessions: all.length,
    kicked: delays.length,
    min: delays.length ? round(Math.min(...delays), 2) : null,
    median: med === null ? null : round(med, 2),
    max: delays.length ? round(Math.max(...delays), 2) : null,
    ratio: med === null ? null : round(med / keepalive, 2),
  };
}
