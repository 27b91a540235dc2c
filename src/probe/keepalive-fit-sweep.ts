import { type FitGroup, fitToleranceS, LATE_EXTRA_S, LATE_TICK_S } from "./keepalive-fit-types.js";

/** Below this a sweep cannot be told from an exact deadline plus noise. */
export const SWEEP_MIN_S = 2;

/**
 * The period of a broker-wide sweep (mosquitto: 6 s) from the ABSOLUTE close times of the silent sessions: a
 * sweep closes everyone it kicks at the same instant, so the close times sit on one lattice phase + j·G while the
 * sessions' starts do not. G = the largest period ≥ 2 s that every gap between distinct close instants is a
 * whole multiple of (within tolerance); null with fewer than two distinct close instants.
 */
export function sweepPeriodS(closeAts: readonly number[]): number | null {
  const sorted = [...closeAts].sort((a, b) => a - b);
  const tol = 2 * fitToleranceS(0);
  const centers: number[] = [];
  for (const t of sorted) {
    const last = centers[centers.length - 1];
    if (last === undefined || t - last > tol) centers.push(t);
  }
  if (centers.length < 2) return null;
  const gaps = centers.slice(1).map((c, i) => c - (centers[i] ?? c));
  const fits = (g: number) =>
    gaps.every((d) => Math.round(d / g) >= 1 && Math.abs(d - g * Math.round(d / g)) <= tol);
  let best: number | null = null;
  for (const d of gaps) {
    for (let j = 1; d / j >= SWEEP_MIN_S; j++) {
      const g = d / j;
      if ((best === null || g > best) && fits(g)) best = g;
    }
  }
  if (best === null) return null;
  // least squares over every gap: d = j·G
  const g0 = best;
  const num = gaps.reduce((s, d) => s + d * Math.round(d / g0), 0);
  const den = gaps.reduce((s, d) => s + Math.round(d / g0) ** 2, 0);
  return num / den;
}

/**
 * Multipliers m a sweep of period G is consistent with: a session's deadline m·KA (give or take a second of
 * timestamp resolution, as mosquitto's whole seconds) falls in (kick − G, kick], so m ∈ ((t − G − 1)/KA, (t + 1)/KA].
 */
export function sweepMultiplierRange(
  kicks: readonly { keepalive: number; kickAfter: number }[],
  granularityS: number,
): [number, number] {
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  for (const k of kicks) {
    lo = Math.max(lo, (k.kickAfter - granularityS - 1) / k.keepalive);
    hi = Math.min(hi, (k.kickAfter + 1) / k.keepalive);
  }
  return [lo, hi];
}

/**
 * true when each keepalive's kicks agree within tolerance: a per-connection timer, no broker-wide sweep. Kicks
 * late enough for a tick of LATE_TICK_S or more may also be seen that much later (lateToleranceS).
 */
export function deterministic(groups: readonly FitGroup[]): boolean {
  return groups.every(
    (g) => g.spread <= 2 * fitToleranceS(g.t) + (g.t >= 2.5 * LATE_TICK_S ? LATE_EXTRA_S : 0),
  );
}
