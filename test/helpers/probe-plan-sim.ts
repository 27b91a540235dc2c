import { fingerprint, type KickSample } from "../../src/probe/keepalive-fingerprint.js";
import { tickKickAfterConnectS } from "../../src/probe/keepalive-fit-tick.js";
import type { Inferred } from "../../src/probe/keepalive-fit-types.js";
import { type Observation, SPARE_S, tickHypotheses } from "../../src/probe/keepalive-hypotheses.js";
import { staggerPlan } from "../../src/probe/keepalive-plan.js";
import { type KeepalivePlan, SPREAD_MS, stillTelling } from "../../src/probe/keepalive-planned.js";

/** One simulated silent session: started `start` s into the check, kicked at `kickAt` (null = never). */
interface SimSession {
  keepalive: number;
  start: number;
  kickAt: number | null;
  waitS: number;
  planned: boolean;
  round: number;
  end?: { at: number; kicked: boolean; waited: number };
}

export interface SimOutcome {
  inferred: Inferred;
  /** Seconds from the check's start until its last session ended. */
  durationS: number;
  /** The planned sessions that were kept as samples (the tick survived). */
  kept: number;
  stopped: number;
}

/**
 * The probe's keepalive check (staggered sessions + the plan, no adaptive round after) against a broker that
 * follows NanoMQ's tick model exactly: each session silent since CONNECT is kicked when the broker's own
 * predictor says (or as `broker(keepalive, start)` says), plus `latencyS`. Time advances in the plan's review steps (0.25 s); every decision to stop a
 * planned session is the probe's own (stillTelling), and the fit is the probe's (fingerprint).
 */
export function simulateCheck(
  plan: KeepalivePlan | null,
  broker: { tickS: number; multiplier: number } | ((keepalive: number, start: number) => number | null),
  options: {
    maxWaitS?: number;
    samples?: number[];
    sessions?: number;
    staggerMs?: number;
    /** Seconds between the plan's reviews (the probe: 0.25 s and at every session's end). */
    stepS?: number;
    /** Seconds each close is seen after the kick: a constant, or per session (keepalive, start). */
    latencyS?: number | ((keepalive: number, start: number) => number);
  } = {},
): SimOutcome {
  const maxWaitS = options.maxWaitS ?? 60;
  const latency = options.latencyS ?? 0.01;
  const lateBy = typeof latency === "function" ? latency : () => latency;
  // the broker's kick as seconds after the session's CONNECT at `start` (s into the check); null = never
  const kickAfter =
    typeof broker === "function"
      ? broker
      : (k: number) => tickKickAfterConnectS(broker.tickS, broker.multiplier, k);
  const at = (start: number, k: number) => {
    const d = kickAfter(k, start);
    return d === null ? null : start + d + lateBy(k, start);
  };
  const sessions: SimSession[] = staggerPlan(
    options.samples ?? [1, 2, 4],
    options.sessions ?? 3,
    options.staggerMs ?? 6000,
  ).map((p): SimSession => {
    const start = p.offsetMs / 1000;
    return {
      keepalive: p.keepalive,
      start,
      kickAt: at(start, p.keepalive),
      waitS: maxWaitS,
      planned: false,
      round: p.round,
    };
  });
  const planned = (plan?.keepalives ?? []).map((k, i): SimSession => {
    const start = (i * SPREAD_MS) / 1000;
    return { keepalive: k, start, kickAt: at(start, k), waitS: plan?.horizonS ?? 0, planned: true, round: 0 };
  });
  const all = [...sessions, ...planned];
  const observe = (t: number): Observation[] =>
    all
      .filter((s) => s.start <= t)
      .map((s) =>
        s.end
          ? {
              keepalive: s.keepalive,
              kickAfter: s.end.kicked ? s.end.at - s.start : null,
              waited: s.end.waited,
            }
          : { keepalive: s.keepalive, kickAfter: null, waited: t - s.start },
      );
  let stopped = 0;
  for (let t = 0; all.some((s) => !s.end); t += options.stepS ?? 0.25) {
    for (const s of all) {
      if (s.end || s.start > t) continue;
      if (s.kickAt !== null && s.kickAt <= Math.min(t, s.start + s.waitS))
        s.end = { at: s.kickAt, kicked: true, waited: s.kickAt - s.start };
      else if (t - s.start >= s.waitS) s.end = { at: s.start + s.waitS, kicked: false, waited: s.waitS };
    }
    if (!plan) continue;
    const tells = stillTelling(
      plan,
      observe(t),
      planned.map((s) => t - s.start),
    );
    planned.forEach((s, i) => {
      if (s.end || tells[i]) return;
      stopped++;
      s.end = { at: t, kicked: false, waited: Math.max(0, t - s.start - SPARE_S) };
    });
  }
  const end = Math.max(...all.map((s) => s.end?.at ?? 0));
  const tick = plan !== null && tickHypotheses(plan.horizonS, observe(end)).length > 0;
  const samples: KickSample[] = [...sessions, ...(tick ? planned : [])].map((s) => ({
    keepalive: s.keepalive,
    kickAfter: s.end?.kicked ? s.end.at - s.start : null,
    round: s.round,
    startAt: s.start,
    ...(s.end?.kicked ? {} : { waited: s.end?.waited ?? 0 }),
    ...(s.planned ? { adaptive: true } : {}),
  }));
  return {
    inferred: fingerprint(samples, maxWaitS).inferred,
    durationS: end,
    kept: tick ? planned.length : 0,
    stopped,
  };
}
