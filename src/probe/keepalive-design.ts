import { MULTIPLIER_PIN } from "./keepalive-fit-types.js";
import { pinned, SPARE_S, type TickHypothesis } from "./keepalive-hypotheses.js";

/** At most this many planned sessions (they run in parallel, each an idle TCP connection). */
export const MAX_PLANNED_SESSIONS = 32;

const PIN = MULTIPLIER_PIN + 1e-9;

/**
 * When cut j of keepalive k under retry_interval Q is known (s after CONNECT): M < j·Q/k kicks the session at
 * tick f = j − 1, Q·(1.5 + j) after CONNECT; not kicked SPARE_S after that says M ≥ j·Q/k.
 */
export const revealS = (tickS: number, j: number): number => tickS * (1.5 + j) + SPARE_S;

/**
 * The multipliers at which the outcome of a silent session with keepalive k changes, under hypothesis h, that
 * are known between `fromS` and `horizonS` after its CONNECT: the cuts j·Q/k inside (lo, hi), ascending.
 */
export function cutsOf(h: TickHypothesis, keepalive: number, horizonS: number, fromS = 0): number[] {
  const out: number[] = [];
  for (let j = 1; revealS(h.tickS, j) <= horizonS; j++) {
    const m = (j * h.tickS) / keepalive;
    if (m >= h.hi - 1e-9) break;
    if (m > h.lo + 1e-9 && revealS(h.tickS, j) > fromS) out.push(m);
  }
  return out;
}

/**
 * Whether a session with this keepalive, `elapsedS` after its CONNECT, can still tell something before
 * `horizonS`: some hypothesis whose multiplier is not yet pinned has a cut of it still to be revealed.
 */
export function stillTells(
  hypotheses: readonly TickHypothesis[],
  keepalive: number,
  elapsedS: number,
  horizonS: number,
): boolean {
  return hypotheses.some((h) => !pinned(h) && hasCut(h, keepalive, horizonS, elapsedS));
}

/** cutsOf(…).length > 0 in constant time: the ticks j whose cut lies inside (lo, hi) and is known in the window. */
function hasCut(h: TickHypothesis, keepalive: number, horizonS: number, fromS: number): boolean {
  const q = h.tickS;
  const first = Math.max(
    1,
    Math.floor(((h.lo + 1e-9) * keepalive) / q) + 1,
    Math.floor((fromS - SPARE_S) / q - 1.5) + 1,
  );
  const last = Math.min(
    Math.ceil(((h.hi - 1e-9) * keepalive) / q) - 1,
    Math.floor((horizonS - SPARE_S) / q - 1.5 + 1e-9),
  );
  return first <= last;
}

/** Per hypothesis: the measure of multipliers left in pieces wider than the pin, and Σ width² of those pieces. */
function score(
  hypotheses: readonly TickHypothesis[],
  cuts: readonly (readonly number[])[],
): { open: number; spread: number } {
  let open = 0;
  let spread = 0;
  hypotheses.forEach((h, i) => {
    const points = [h.lo, ...(cuts[i] ?? []), h.hi];
    for (let p = 1; p < points.length; p++) {
      const w = (points[p] as number) - (points[p - 1] as number);
      if (w > PIN) {
        open += w;
        spread += w * w;
      }
    }
  });
  return { open, spread };
}

const merge = (a: readonly number[], b: readonly number[]): number[] =>
  [...a, ...b].sort((x, y) => x - y).filter((v, i, s) => i === 0 || v - (s[i - 1] as number) > 1e-9);

/**
 * The keepalives of the planned silent sessions, all started at once: chosen greedily by what their kicks
 * would tell under every hypothesis still open. Each candidate keepalive k cuts each hypothesis' multiplier
 * range at j·Q/k for every tick j whose outcome is known within `horizonS` (cutsOf); the pick is the k that
 * most shrinks the multiplier range left in pieces wider than ±0.05, over all hypotheses (then the one that
 * most evens out what is left, then the earliest answer, then the smaller k). It stops when the picks pin
 * everything the horizon allows (the same measure with every keepalive at once), when no keepalive adds a cut,
 * or at `maxSessions`. `given`: keepalives of sessions running anyway (their cuts count from the start).
 */
export function designKeepalives(
  hypotheses: readonly TickHypothesis[],
  horizonS: number,
  given: readonly number[] = [],
  maxSessions = MAX_PLANNED_SESSIONS,
): number[] {
  const open = hypotheses.filter((h) => !pinned(h));
  if (open.length === 0) return [];
  // a cut j·Q/k > lo needs k < j·Q/lo: no keepalive past the largest such bound adds anything
  const maxK = Math.max(
    ...open.map((h) => {
      let j = 0;
      while (revealS(h.tickS, j + 1) <= horizonS) j++;
      return Math.ceil((j * h.tickS) / Math.max(h.lo, 1e-3));
    }),
  );
  const candidates: { k: number; cuts: number[][]; cost: number }[] = [];
  for (let k = 1; k <= Math.min(maxK, 65535); k++) {
    const cuts = open.map((h) => cutsOf(h, k, horizonS));
    if (cuts.every((c) => c.length === 0)) continue;
    const cost = Math.max(
      ...open.map((h, i) => {
        const last = cuts[i]?.at(-1);
        return last === undefined ? 0 : revealS(h.tickS, Math.round((last * k) / h.tickS));
      }),
    );
    candidates.push({ k, cuts, cost });
  }
  const floor = score(
    open,
    open.map((_, i) => candidates.reduce<number[]>((acc, c) => merge(acc, c.cuts[i] ?? []), [])),
  ).open;
  let current = open.map((h) => given.reduce<number[]>((acc, k) => merge(acc, cutsOf(h, k, horizonS)), []));
  let now = score(open, current);
  const chosen: number[] = [];
  while (chosen.length < maxSessions && now.open > floor + 1e-9) {
    let best: { k: number; next: number[][]; s: { open: number; spread: number }; cost: number } | null =
      null;
    for (const c of candidates) {
      if (chosen.includes(c.k) || given.includes(c.k)) continue;
      const next = current.map((cut, i) => merge(cut, c.cuts[i] ?? []));
      const s = score(open, next);
      const better =
        best === null ||
        s.open < best.s.open - 1e-9 ||
        (s.open <= best.s.open + 1e-9 &&
          (s.spread < best.s.spread - 1e-12 || (s.spread <= best.s.spread + 1e-12 && c.cost < best.cost)));
      if (better) best = { k: c.k, next, s, cost: c.cost };
    }
    if (best === null || (best.s.open >= now.open - 1e-9 && best.s.spread >= now.spread - 1e-12)) break;
    chosen.push(best.k);
    current = best.next;
    now = best.s;
  }
  return chosen.sort((a, b) => a - b);
}
