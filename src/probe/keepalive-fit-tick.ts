import { NANOMQ_LATEST } from "../core/profile.js";
import { nanomqDelayAfterConnect } from "../keepalive/predict-nanomq.js";
import type { FitGroup, Waited } from "./keepalive-fit-types.js";
import { fitToleranceS, lateToleranceS } from "./keepalive-fit-types.js";
import { simplestIn } from "./simplest.js";

/** NanoMQ's retry_interval is whole seconds in practice; below this a tick cannot be told from noise. */
export const TICK_MIN_S = 0.5;

/** One retry interval Q consistent with every kick, and the multipliers M ∈ [lo, hi) consistent with it. */
export interface TickCandidate {
  tickS: number;
  /** ± on tickS from the measurement tolerance. */
  tickErrorS: number;
  lo: number;
  hi: number;
  /** Sum of |predicted − measured| (s). */
  residual: number;
}

/**
 * NanoMQ's per-connection tick (keepalive/nanomq-arithmetic.ts): a session silent since CONNECT is kicked at
 * tick N = ⌊KA·M/Q⌋ + 1, i.e. Q·(1.5 + N) after CONNECT. Every kick time is therefore Q times a half-integer
 * ≥ 2.5, and each keepalive's N bounds M to [(N−1)·Q/KA, N·Q/KA). Q candidates come from the earliest kick
 * (Q = t/(1.5 + N) for N = 1, 2, …), refined by least squares over every keepalive; a candidate survives when
 * every kick is within tolerance (for ticks ≥ 5 s, more of it late than early: lateToleranceS) and the M bounds
 * intersect. `waited` (sessions not kicked within their wait)
 * raise the lower bound. Checked at the end with the broker's own predictor.
 */
export function tickCandidates(groups: readonly FitGroup[], waited: readonly Waited[]): TickCandidate[] {
  if (groups.length === 0) return [];
  const first = groups.reduce((a, b) => (b.t < a.t ? b : a));
  const out: TickCandidate[] = [];
  for (let n = 1; first.t / (1.5 + n) >= TICK_MIN_S; n++) {
    const c = candidate(first.t / (1.5 + n), groups, waited);
    if (c && !out.some((o) => Math.abs(o.tickS - c.tickS) < 1e-6)) out.push(c);
  }
  return out.sort((a, b) => a.residual - b.residual || b.tickS - a.tickS);
}

function candidate(q0: number, groups: readonly FitGroup[], waited: readonly Waited[]): TickCandidate | null {
  const ticks = (q: number) => groups.map((g) => Math.round(g.t / q - 1.5));
  let ns = ticks(q0);
  if (ns.some((n) => n < 1)) return null;
  // least squares t = q·(1.5 + N) over every keepalive
  const num = groups.reduce((s, g, i) => s + g.t * (1.5 + (ns[i] ?? 0)), 0);
  const den = ns.reduce((s, n) => s + (1.5 + n) ** 2, 0);
  const fitted = num / den;
  const maxN0 = Math.max(...ns);
  const errorS = fitToleranceS(fitted * (1.5 + maxN0)) / (1.5 + maxN0);
  // the simplest Q the kicks cannot tell from the fitted one (1 s, not 1.0012 s: the kicks carry latency)
  const q = simplestIn(fitted - errorS, fitted + errorS, 3);
  if (q < TICK_MIN_S) return null;
  ns = ticks(q);
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  let residual = 0;
  for (const [i, g] of groups.entries()) {
    const n = ns[i] ?? 0;
    const off = g.t - q * (1.5 + n);
    if (n < 1 || off < -fitToleranceS(g.t) || off > lateToleranceS(g.t, q)) return null;
    residual += Math.abs(off);
    lo = Math.max(lo, ((n - 1) * q) / g.keepalive);
    hi = Math.min(hi, (n * q) / g.keepalive);
  }
  for (const w of waited) {
    // not kicked by w.waited: q·(1.5 + N) > waited, so N ≥ ⌊waited/q − 1.5⌋ + 1 and M ≥ (N − 1)·q/KA
    const nMin = Math.floor(w.waited / q - 1.5) + 1;
    lo = Math.max(lo, ((nMin - 1) * q) / w.keepalive);
  }
  if (!(lo < hi - 1e-9)) return null;
  const c: TickCandidate = { tickS: q, tickErrorS: errorS, lo, hi, residual };
  return predictorAgrees(c, groups) ? c : null;
}

/** The broker's own predictor (nanomqDelayAfterConnect) at a multiplier inside [lo, hi) must give every kick. */
function predictorAgrees(c: TickCandidate, groups: readonly FitGroup[]): boolean {
  const m = Number.isFinite(c.hi) ? (c.lo + c.hi) / 2 : c.lo + 1;
  return groups.every((g) => {
    const at = tickKickAfterConnectS(c.tickS, m, g.keepalive);
    return at !== null && g.t - at >= -fitToleranceS(g.t) && g.t - at <= lateToleranceS(g.t, c.tickS);
  });
}

/** Seconds from CONNECT to the kick of a session silent since, by the broker's predictor; null = never. */
export function tickKickAfterConnectS(tickS: number, multiplier: number, keepalive: number): number | null {
  const w = nanomqDelayAfterConnect(
    { retryIntervalMs: tickS * 1000, keepaliveMultiplier: multiplier, nanomqVersion: NANOMQ_LATEST },
    keepalive * 1000,
  );
  return w === null ? null : w.minMs / 1000;
}
