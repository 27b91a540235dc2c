import { type ModelFit, MULTIPLIER_PIN } from "./keepalive-fit-types.js";

/** The largest keepalive the adaptive rounds consider (a session per value; they run in parallel). */
const MAX_KEEPALIVE = 400;
/** At most this many extra sessions per adaptive round. */
const MAX_SESSIONS = 6;
/** Margin between a predicted kick and the end of the wait. */
const MARGIN_S = 1;

/** Kicks measured so far, per keepalive (the median delay after CONNECT). */
export interface KickSoFar {
  keepalive: number;
  t: number;
}

/**
 * The keepalive values of the next adaptive round, or [] when there is nothing worth measuring within `budgetS`
 * (seconds each new session may wait):
 * - exact and tick both fit (one keepalive value so far): sessions at 2× and 4× the largest keepalive tell
 *   them apart (a tick grows slower than keepalive, an exact multiple does not), run when the budget leaves
 *   room for at least the earliest kick they could see;
 * - a tick whose multiplier is still a range wider than ±0.05: the keepalives whose kick boundaries (M = j·Q/k)
 *   cut that range into pieces ≤ 0.1, cheapest first (multiplierPlan).
 */
export function nextKeepalives(fit: ModelFit, kicks: readonly KickSoFar[], budgetS: number): number[] {
  const ambiguous = fit.open.some((o) => o.code === "ambiguous");
  if (ambiguous && kicks.length) {
    const largest = kicks.reduce((a, b) => (b.keepalive > a.keepalive ? b : a));
    // No model kicks a larger keepalive sooner, so the round is worth running when that kick fits the budget:
    // a tick kicks 2× and 4× the keepalive within a tick or two of it, an exact multiple only at 2× and 4× the
    // delay — seeing no kick within the budget is the answer too (adaptiveWaitS).
    if (largest.t + MARGIN_S > budgetS) return [];
    return [2, 4].map((f) => f * largest.keepalive).filter((k) => k <= MAX_KEEPALIVE);
  }
  const range = fit.multiplierRange;
  if (fit.model !== "tick" || fit.tickS === null || range === null || range[1] === null) return [];
  if (range[1] - range[0] <= MULTIPLIER_PIN + 1e-9) return [];
  return multiplierPlan(fit.tickS, range[0], range[1], budgetS);
}

interface Option {
  k: number;
  /** Values of M at which this keepalive's observable outcome changes, inside (lo, hi). */
  cuts: number[];
  /** Worst-case seconds until its outcome is known. */
  cost: number;
}

/**
 * Keepalive k's session is kicked Q·(2.5 + f) after CONNECT, f = ⌊k·M/Q⌋; within a wait W every f ≤ F =
 * ⌊W/Q − 2.5⌋ is seen, and "not kicked" says f > F. So k cuts M at j·Q/k for j = 1 … F + 1. Picks the cheapest
 * one to three keepalives that leave no piece of [lo, hi) wider than 0.1; when no choice can, the greedy best ≤ 6.
 */
export function multiplierPlan(q: number, lo: number, hi: number, budgetS: number): number[] {
  return plan(q, lo, hi, budgetS).keepalives;
}

/**
 * The smallest budget (s, to a Q, up to an hour) whose plan pins M; null when none does. Binary search: a
 * longer budget never leaves a wider piece.
 */
export function pinBudgetS(q: number, lo: number, hi: number): number | null {
  // pure and costly (~0.1 s): the same range recurs across rounds and reports
  const key = `${q}/${lo}/${hi}`;
  const known = budgets.get(key);
  if (known !== undefined) return known;
  const budget = searchPinBudgetS(q, lo, hi);
  if (budgets.size >= 256) budgets.clear();
  budgets.set(key, budget);
  return budget;
}

const budgets = new Map<string, number | null>();

function searchPinBudgetS(q: number, lo: number, hi: number): number | null {
  const pins = (budget: number) => plan(q, lo, hi, budget).width <= MULTIPLIER_PIN + 1e-9;
  let low = q * 2.5 + MARGIN_S;
  let high = 3600;
  if (!pins(high)) return null;
  while (high - low > q) {
    const mid = (low + high) / 2;
    if (pins(mid)) high = mid;
    else low = mid;
  }
  return Math.ceil(high);
}

function plan(q: number, lo: number, hi: number, budgetS: number): { keepalives: number[]; width: number } {
  const wait = budgetS - MARGIN_S;
  const maxF = Math.floor(wait / q - 2.5);
  if (maxF < 0) return { keepalives: [], width: hi - lo };
  const options: Option[] = [];
  for (let k = 1; k <= MAX_KEEPALIVE; k++) {
    const cuts: number[] = [];
    for (let j = 1; j <= maxF + 1; j++) {
      const m = (j * q) / k;
      if (m > lo + 1e-9 && m < hi - 1e-9) cuts.push(m);
    }
    if (cuts.length) options.push({ k, cuts, cost: Math.min(wait, q * (2.5 + Math.floor((k * hi) / q))) });
  }
  const target = MULTIPLIER_PIN + 1e-9;
  const width = (chosen: readonly Option[]) =>
    widest(
      lo,
      hi,
      chosen.flatMap((o) => o.cuts),
    );
  const cost = (chosen: readonly Option[]) => Math.max(...chosen.map((o) => o.cost));
  const cheap = [...options].sort((a, b) => a.cost - b.cost || a.k - b.k).slice(0, 24);
  const found: { best: Option[] | null } = { best: null };
  const consider = (set: Option[]) => {
    const best = found.best;
    if (width(set) > target) return;
    if (
      best === null ||
      cost(set) < cost(best) - 1e-9 ||
      (cost(set) <= cost(best) + 1e-9 && set.length < best.length)
    )
      found.best = set;
  };
  for (let i = 0; i < cheap.length; i++) {
    const a = cheap[i] as Option;
    consider([a]);
    for (let j = i + 1; j < cheap.length; j++) {
      const b = cheap[j] as Option;
      consider([a, b]);
      for (let l = j + 1; l < cheap.length; l++) consider([a, b, cheap[l] as Option]);
    }
  }
  if (found.best)
    return { keepalives: found.best.map((o) => o.k).sort((a, b) => a - b), width: width(found.best) };
  const chosen: Option[] = [];
  while (chosen.length < MAX_SESSIONS) {
    let pick: Option | null = null;
    for (const o of options) {
      if (chosen.includes(o)) continue;
      const w = width([...chosen, o]);
      const pw = pick === null ? Number.POSITIVE_INFINITY : width([...chosen, pick]);
      if (w < pw - 1e-9 || (pick !== null && Math.abs(w - pw) <= 1e-9 && o.cost < pick.cost)) pick = o;
    }
    if (pick === null || width([...chosen, pick]) >= width(chosen) - 1e-9) break;
    chosen.push(pick);
    if (width(chosen) <= target) break;
  }
  return { keepalives: chosen.map((o) => o.k).sort((a, b) => a - b), width: width(chosen) };
}

function widest(lo: number, hi: number, cuts: readonly number[]): number {
  const points = [lo, ...cuts.filter((c) => c > lo && c < hi).sort((a, b) => a - b), hi];
  let w = 0;
  for (let i = 1; i < points.length; i++) w = Math.max(w, (points[i] ?? 0) - (points[i - 1] ?? 0));
  return w;
}

/**
 * How long the sessions of an adaptive round need to wait: until the latest kick any model still in the running
 * predicts for them (the top of the multiplier range; t_max·k/k_max while exact and tick both fit), plus a
 * margin, within the budget. Not kicked by then is itself the answer.
 */
export function adaptiveWaitS(
  fit: ModelFit,
  kicks: readonly KickSoFar[],
  keepalives: readonly number[],
  budgetS: number,
): number {
  const range = fit.multiplierRange;
  const q = fit.tickS;
  let latest: number;
  if (
    fit.model === "tick" &&
    q !== null &&
    range !== null &&
    range[1] !== null &&
    !fit.open.some((o) => o.code === "ambiguous")
  ) {
    const hi = range[1];
    latest = Math.max(...keepalives.map((k) => q * (2.5 + Math.floor((k * hi) / q))));
  } else {
    const ratio = Math.max(0, ...kicks.map((k) => k.t / k.keepalive));
    latest = Math.max(...keepalives.map((k) => ratio * k));
  }
  return Math.min(budgetS, latest + MARGIN_S);
}
