import { TICK_MIN_S } from "./keepalive-fit-tick.js";
import { fitToleranceS, lateToleranceS, MULTIPLIER_PIN } from "./keepalive-fit-types.js";
import { simplestIn } from "./simplest.js";

/**
 * One NanoMQ tick hypothesis still consistent with the silent sessions: retry_interval Q = `tickS` and a
 * keepalive_multiplier M somewhere in [lo, hi). Under the tick model (keepalive/nanomq-arithmetic.ts) a session
 * silent since CONNECT with keepalive k is kicked Q·(2.5 + f) after it, f = ⌊k·M/Q⌋, so what the sessions tell
 * about M for a given Q is always an interval.
 */
export interface TickHypothesis {
  tickS: number;
  lo: number;
  hi: number;
}

/**
 * The multipliers the keepalive plan is chosen for: from 1 (a kick at the keepalive itself) up to 2.5 — NanoMQ
 * ships 1.25 and defaults to 1.5 in code. Outside this range the plan's sessions are not needed to fit: the fit
 * and its adaptive rounds work as without a plan.
 */
export const PRIOR_MULTIPLIER: readonly [number, number] = [1, 2.5];
/**
 * The range the hypotheses start from: the prior widened by the pin on both sides, so a multiplier at the
 * prior's very end is pinned by cuts on both sides of it, as the fit (which knows no prior) needs.
 */
const START: readonly [number, number] = [
  PRIOR_MULTIPLIER[0] - MULTIPLIER_PIN,
  PRIOR_MULTIPLIER[1] + MULTIPLIER_PIN,
];

/**
 * A session counts as spared a kick only this long (s) after the kick was due: on a loaded host (or a scaled
 * clock, where a few real ms of CONNECT queueing are tenths of clock seconds) the close of a kick can arrive late.
 */
export const SPARE_S = 1;

/** What one silent session has shown so far: kicked `kickAfter` s after its CONNECT, or not within `waited` s. */
export interface Observation {
  keepalive: number;
  kickAfter: number | null;
  waited: number;
}

/**
 * Before any kick: every whole-second Q whose first possible kick (2.5·Q after CONNECT) comes within `horizonS`,
 * each with the prior multiplier range (widened by the pin). NanoMQ's retry_interval is written in whole seconds in practice; a Q off
 * this grid joins as soon as a kick shows it (tickHypotheses).
 */
export function priorHypotheses(horizonS: number): TickHypothesis[] {
  const out: TickHypothesis[] = [];
  for (let q = 1; 2.5 * q + fitToleranceS(2.5 * q) <= horizonS; q++)
    out.push({ tickS: q, lo: START[0], hi: START[1] });
  return out;
}

/**
 * The hypotheses the observations leave: the prior grid plus every Q the earliest kick implies (Q = t/(2.5 + f),
 * named by the simplest value within tolerance), each narrowed by every observation; [] when none survives (the
 * broker does not follow the tick model within the prior, e.g. mosquitto's sweep or an exact 1.5 × keepalive).
 */
export function tickHypotheses(horizonS: number, observations: readonly Observation[]): TickHypothesis[] {
  const candidates = priorHypotheses(horizonS).map((h) => h.tickS);
  const kicks = observations.filter((o): o is Observation & { kickAfter: number } => o.kickAfter !== null);
  const first = kicks.reduce<(Observation & { kickAfter: number }) | null>(
    (a, b) => (a === null || b.kickAfter < a.kickAfter ? b : a),
    null,
  );
  if (first) {
    const t = first.kickAfter;
    for (let f = 0; t / (2.5 + f) >= TICK_MIN_S; f++) {
      const q0 = t / (2.5 + f);
      // this kick alone puts M in [f·Q/k, (f + 1)·Q/k): past the prior's end, no larger f comes back into it
      if ((f * q0) / first.keepalive >= START[1]) break;
      if (((f + 1) * q0) / first.keepalive <= START[0]) continue;
      const err = fitToleranceS(t) / (2.5 + f);
      const q = simplestIn(q0 - err, q0 + err, 3);
      if (!candidates.some((c) => Math.abs(c - q) < 1e-6)) candidates.push(q);
    }
  }
  const out: TickHypothesis[] = [];
  for (const tickS of candidates) {
    const h = narrow({ tickS, lo: START[0], hi: START[1] }, observations);
    if (h) out.push(h);
  }
  return out.sort((a, b) => a.tickS - b.tickS);
}

/**
 * Narrows one hypothesis by the observations; null when one contradicts it. A kick at t must sit on a tick
 * Q·(2.5 + f) — up to the fit's tolerance before it, up to its late tolerance after it, as the fit reads it
 * (keepalive-fit-types.ts) — and gives M ∈ [f·Q/k, (f + 1)·Q/k); a session not kicked within w has been spared
 * every kick due before w − `spareS`, so M ≥ f·Q/k for the first f still to come.
 */
export function narrow(
  h: TickHypothesis,
  observations: readonly Observation[],
  spareS = SPARE_S,
): TickHypothesis | null {
  const q = h.tickS;
  let { lo, hi } = h;
  for (const o of observations) {
    if (o.keepalive <= 0) continue;
    if (o.kickAfter !== null) {
      // a kick comes late (a busy timer, a close on its way), hardly early: the latest tick due before it
      const f = Math.floor((o.kickAfter + fitToleranceS(o.kickAfter)) / q - 2.5 + 1e-9);
      if (f < 0 || o.kickAfter - q * (2.5 + f) > lateToleranceS(o.kickAfter, q)) return null;
      lo = Math.max(lo, (f * q) / o.keepalive);
      hi = Math.min(hi, ((f + 1) * q) / o.keepalive);
    } else {
      const spared = Math.max(0, Math.ceil((o.waited - spareS) / q - 2.5 - 1e-9));
      lo = Math.max(lo, (spared * q) / o.keepalive);
    }
    if (!(lo < hi - 1e-9)) return null;
  }
  return { tickS: q, lo, hi };
}

/** A hypothesis whose multiplier range is no wider than the pin (±0.05 whatever value is named). */
export const pinned = (h: TickHypothesis): boolean => h.hi - h.lo <= MULTIPLIER_PIN + 1e-9;

/** Which keepalives' sessions set one end of the fitted multiplier range. */
export interface MultiplierBound {
  multiplier: number;
  keepalives: number[];
}

/**
 * For the report: under retry_interval `tickS`, the sessions whose outcome sets the fitted range's lower end
 * (kicked no earlier than M ≥ lo allows, or spared that long) and its upper end (kicked by M < hi). null for an
 * end no observation sets (the prior's, or an unbounded one).
 */
export function multiplierBounds(
  tickS: number,
  range: readonly [number, number | null],
  observations: readonly Observation[],
): { lo: MultiplierBound | null; hi: MultiplierBound | null } {
  const los: number[] = [];
  const his: number[] = [];
  for (const o of observations) {
    // the samples' waits are already what they prove (keepalive-planned.ts), as the fit reads them
    const one = narrow({ tickS, lo: 0, hi: Number.POSITIVE_INFINITY }, [o], 0);
    if (!one) continue;
    if (Math.abs(one.lo - range[0]) < 5e-4) los.push(o.keepalive);
    if (range[1] !== null && Math.abs(one.hi - range[1]) < 5e-4) his.push(o.keepalive);
  }
  const bound = (m: number | null, ks: number[]) =>
    m === null || ks.length === 0
      ? null
      : { multiplier: m, keepalives: [...new Set(ks)].sort((a, b) => a - b) };
  return { lo: bound(range[0], los), hi: bound(range[1], his) };
}
