import { round } from "../core/round.js";
import { pinBudgetS } from "./keepalive-adaptive.js";
import { deterministic, sweepMultiplierRange, sweepPeriodS } from "./keepalive-fit-sweep.js";
import { tickCandidates } from "./keepalive-fit-tick.js";
import {
  type FitGroup,
  fitToleranceS,
  type ModelFit,
  type ModelName,
  MULTIPLIER_PIN,
  type OpenQuestion,
  type Waited,
  type WholeSeconds,
} from "./keepalive-fit-types.js";
import { simplestIn } from "./simplest.js";
import { median } from "./stats.js";

export interface FitSample {
  keepalive: number;
  /** Seconds from CONNECT (the session's only packet) to the close; null = not closed. */
  kickAfter: number | null;
  /** Clock seconds of the CONNECT, when known: a sweep shows in absolute close times. */
  startAt?: number;
  /** Seconds waited without a close (not-kicked sessions). */
  waited?: number;
}

export interface FitHints {
  /** The least-squares slope of kick delay over keepalive (per stagger round), for a sweep's multiplier. */
  slope: number | null;
  /** The spread of kicks at one keepalive, scaled (keepalive-fingerprint.ts): a sweep period without start times. */
  spreadGranularity: number | null;
}

/**
 * Fits the candidate keepalive models to silent sessions' kicks: `exact` (kick = m × keepalive), NanoMQ's
 * per-connection `tick` (keepalive-fit-tick.ts, with the broker's own predictor), a broker-wide `sweep`
 * (keepalive-fit-sweep.ts). A model fits when every kick is within tolerance of it. Kicks that differ at one
 * keepalive rule out the per-connection models; with one keepalive value exact and tick both fit, and the samples
 * say so (`open`). Preference when several fit: exact, tick, sweep (fewest free parameters first).
 */
export function fitKeepaliveModel(samples: readonly FitSample[], hints: FitHints): ModelFit {
  const kicked = samples.filter((s): s is FitSample & { kickAfter: number } => s.kickAfter !== null);
  const waited: Waited[] = samples
    .filter((s) => s.kickAfter === null && s.waited !== undefined)
    .map((s) => ({ keepalive: s.keepalive, waited: s.waited as number }));
  const none: ModelFit = {
    model: "unknown",
    multiplier: null,
    multiplierRange: null,
    tickS: null,
    granularityS: null,
    alsoFits: [],
    open: [],
  };
  if (kicked.length === 0) return { ...none, open: [{ parameter: "model", code: "no-kick" }] };
  const groups = groupKicks(kicked);
  const perConnection = deterministic(groups);
  const exact = perConnection ? (exactFit(groups, waited) ?? wholeSecondFit(groups, waited)) : null;
  const ticks = perConnection ? tickCandidates(groups, waited) : [];
  const starts = kicked.filter((s) => s.startAt !== undefined);
  const lattice =
    starts.length === kicked.length
      ? sweepPeriodS(starts.map((s) => (s.startAt as number) + s.kickAfter))
      : null;
  const sweepG = lattice ?? (perConnection ? null : hints.spreadGranularity);
  const sweepRange = sweepG === null ? null : sweepMultiplierRange(kicked, sweepG);
  const sweeps =
    sweepRange !== null &&
    sweepRange[0] < sweepRange[1] &&
    (!perConnection || (exact === null && ticks.length === 0));
  const fits: ModelName[] = [
    ...(exact ? (["exact"] as const) : []),
    ...(ticks.length ? (["tick"] as const) : []),
    ...(sweeps ? (["sweep"] as const) : []),
  ];
  const model = fits[0] ?? "unknown";
  const alsoFits = fits.slice(1);
  const open: OpenQuestion[] = alsoFits.length
    ? [{ parameter: "model", code: "ambiguous", candidates: fits }]
    : [];
  switch (model) {
    case "exact": {
      const e = exact as ExactFit;
      return {
        ...none,
        model,
        multiplier: round(e.m, 2),
        multiplierRange: [round(e.lo, 3), round(e.hi, 3)],
        ...(e.wholeSeconds ? { wholeSeconds: e.wholeSeconds } : {}),
        alsoFits,
        open,
      };
    }
    case "tick": {
      const best = ticks[0] as NonNullable<(typeof ticks)[0]>;
      const tickS = best.tickS;
      const width = best.hi - best.lo;
      const pinned = width <= MULTIPLIER_PIN + 1e-9;
      if (ticks.length > 1)
        open.push({ parameter: "tickS", code: "ambiguous", candidates: ticks.map((t) => round(t.tickS, 3)) });
      if (!pinned)
        open.push({
          parameter: "multiplier",
          code: "range",
          range: [round(best.lo, 3), Number.isFinite(best.hi) ? round(best.hi, 3) : null],
          needMaxWaitS: needMaxWaitS(best.tickS, best.lo, best.hi, Math.max(...groups.map((g) => g.t))),
        });
      return {
        ...none,
        model,
        tickS,
        multiplier: best.lo > 0 && width <= 0.2 + 1e-9 ? simplestIn(best.lo, best.hi) : null,
        multiplierRange: [round(best.lo, 3), Number.isFinite(best.hi) ? round(best.hi, 3) : null],
        alsoFits,
        open,
      };
    }
    case "sweep": {
      const g = sweepG as number;
      const [lo, hi] = sweepRange as [number, number];
      if (lattice === null) open.push({ parameter: "granularityS", code: "one-sweep" });
      return {
        ...none,
        model,
        granularityS: round(g, 1),
        multiplier: hints.slope === null ? null : round(hints.slope, 2),
        multiplierRange: [round(lo, 3), Number.isFinite(hi) ? round(hi, 3) : null],
        alsoFits,
        open,
      };
    }
    default:
      return { ...none, open };
  }
}

function groupKicks(kicked: readonly { keepalive: number; kickAfter: number }[]): FitGroup[] {
  const keepalives = [...new Set(kicked.map((s) => s.keepalive))].sort((a, b) => a - b);
  return keepalives.map((keepalive) => {
    const ts = kicked.filter((s) => s.keepalive === keepalive).map((s) => s.kickAfter);
    return { keepalive, t: median(ts), spread: Math.max(...ts) - Math.min(...ts), kicked: ts.length };
  });
}

interface ExactFit {
  m: number;
  lo: number;
  hi: number;
  wholeSeconds?: WholeSeconds;
}

/** kick = m × keepalive for every keepalive (least squares through the origin), and never before a wait ended. */
function exactFit(groups: readonly FitGroup[], waited: readonly Waited[]): ExactFit | null {
  const m =
    groups.reduce((s, g) => s + g.t * g.keepalive, 0) / groups.reduce((s, g) => s + g.keepalive ** 2, 0);
  if (!groups.every((g) => Math.abs(m * g.keepalive - g.t) <= fitToleranceS(g.t))) return null;
  if (!waited.every((w) => m * w.keepalive > w.waited)) return null;
  const lo = Math.max(...groups.map((g) => (g.t - fitToleranceS(g.t)) / g.keepalive));
  const hi = Math.min(...groups.map((g) => (g.t + fitToleranceS(g.t)) / g.keepalive));
  return { m, lo, hi };
}

/** m × k rounded to whole seconds the broker's way. */
export function wholeSecondKick(m: number, keepalive: number, how: WholeSeconds): number {
  const t = m * keepalive;
  return how === "up" ? Math.ceil(t - 1e-9) : Math.floor(t + 1e-9);
}

/**
 * kick = m × keepalive rounded to whole seconds, up or down, for every keepalive (at least two: one alone fits the
 * plain product): each kick within tolerance of a whole second n, so m ∈ ((n − 1)/k, n/k] rounding up and
 * [n/k, (n + 1)/k) rounding down, the same m for all. Named: 1.5 when the range holds it (the spec's figure, which
 * ejabberd and HiveMQ use), else the simplest value in it.
 */
function wholeSecondFit(groups: readonly FitGroup[], waited: readonly Waited[]): ExactFit | null {
  if (groups.length < 2) return null;
  for (const how of ["up", "down"] as const) {
    let lo = 0;
    let hi = Number.POSITIVE_INFINITY;
    let fits = true;
    for (const g of groups) {
      const n = Math.round(g.t);
      if (n < 1 || Math.abs(g.t - n) > fitToleranceS(g.t)) return null;
      lo = Math.max(lo, (how === "up" ? n - 1 : n) / g.keepalive);
      hi = Math.min(hi, (how === "up" ? n : n + 1) / g.keepalive);
      if (!(lo < hi - 1e-9)) fits = false;
    }
    if (!fits) continue;
    // up: m ∈ (lo, hi]; down: m ∈ [lo, hi)
    const [from, to] = how === "up" ? [lo + 1e-6, hi + 1e-6] : [lo, hi];
    const m = from <= 1.5 && 1.5 < to ? 1.5 : simplestIn(from, to);
    if (!waited.every((w) => wholeSecondKick(m, w.keepalive, how) > w.waited)) continue;
    return { m, lo, hi, wholeSeconds: how };
  }
  return null;
}

/**
 * About the --max-wait that pins M to ±0.05: the first round (its longest kick so far, `firstS`) plus the
 * budget one more adaptive round needs (keepalive-adaptive.ts, pinBudgetS). null when no wait up to an hour does.
 */
export function needMaxWaitS(tickS: number, lo: number, hi: number, firstS: number): number | null {
  if (!Number.isFinite(hi)) return null;
  const budget = pinBudgetS(tickS, lo, hi);
  return budget === null ? null : Math.ceil(firstS + budget);
}
