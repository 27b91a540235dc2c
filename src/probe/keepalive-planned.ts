import { round } from "../core/round.js";
import type { KeepalivePlanRun } from "./findings.js";
import { designKeepalives, stillTells } from "./keepalive-design.js";
import type { SessionEvidence } from "./keepalive-evidence.js";
import {
  type Observation,
  PRIOR_MULTIPLIER,
  priorHypotheses,
  SPARE_S,
  type TickHypothesis,
  tickHypotheses,
} from "./keepalive-hypotheses.js";
import { runSilentSessions, type SilentSample } from "./keepalive-sessions.js";
import type { CheckContext, ProbeOptions } from "./types.js";

/** The plan aims to pin NanoMQ's tick within this many seconds of its sessions' CONNECT (or max-wait, if less). */
export const PLAN_HORIZON_S = 60;
/**
 * About the time between the planned sessions' CONNECTs (clock ms) as the model-driven tests simulate it: they
 * connect one after another (each after the previous one's CONNACK), a few ms apart on loopback.
 */
export const SPREAD_MS = 25;
/** How often (clock ms) the plan re-reads the evidence besides every session's end: a "not kicked" grows with time. */
const REVIEW_MS = 250;

/** The plan chosen before the sessions start: the hypotheses, the horizon (s) and the keepalives. */
export interface KeepalivePlan {
  horizonS: number;
  prior: TickHypothesis[];
  keepalives: number[];
}

/**
 * The keepalives that tell the most about NanoMQ's retry_interval Q and keepalive_multiplier M within the
 * horizon (keepalive-design.ts), beside the staggered sessions' own keepalives; null when there is nothing to
 * choose (a max-wait too short for any tick). Computed before any session starts, so its cost (~0.1 s) delays
 * no measurement.
 */
export function keepalivePlan(
  options: Pick<ProbeOptions, "maxWaitMs" | "keepaliveSamples">,
): KeepalivePlan | null {
  const horizonS = Math.min(PLAN_HORIZON_S, options.maxWaitMs / 1000);
  const prior = priorHypotheses(horizonS);
  const keepalives = designKeepalives(prior, horizonS, options.keepaliveSamples);
  return prior.length === 0 || keepalives.length === 0 ? null : { horizonS, prior, keepalives };
}

/**
 * Runs the plan: its silent sessions all start at once beside the staggered ones. While they run, every
 * session's end (and every quarter second) narrows the hypotheses (keepalive-hypotheses.ts); a planned session
 * stops as soon as no hypothesis left can learn anything more from it, so the plan costs a spec-like broker or
 * mosquitto only until their first kicks rule the tick model out.
 */
export async function runPlannedSessions(
  ctx: CheckContext,
  plan: KeepalivePlan,
  evidence: SessionEvidence,
): Promise<{ samples: SilentSample[]; run: KeepalivePlanRun }> {
  const { clock } = ctx.options;
  const { horizonS, prior, keepalives } = plan;
  ctx.options.onProgress?.(
    `keepalive: plan of ${keepalives.length} sessions at keepalive ${keepalives.join(", ")} s`,
  );
  // the sessions connect one after another, each once the previous one's CONNECT is answered: a burst of
  // CONNECTs queues at the broker (whose timer starts when it reads the CONNECT, not when the probe sent it),
  // which on a loaded host or a shared event loop makes every planned kick look tenths of a second late
  const connectedAt: (number | null)[] = keepalives.map(() => null);
  const answered = keepalives.map(() => deferred());
  const stops = keepalives.map(() => deferred());
  const stopped = new Set<number>();
  const stop = (i: number) => {
    if (stopped.has(i)) return;
    stopped.add(i);
    stops[i]?.resolve();
  };
  const review = () => {
    const now = clock.now();
    // a session not connected yet has everything still to tell
    const elapsed = connectedAt.map((at) => (at === null ? 0 : (now - at) / 1000));
    stillTelling(plan, evidence.observations(now), elapsed).forEach((tells, i) => {
      if (!tells) stop(i);
    });
  };
  const unsubscribe = evidence.onChange(review);
  const ticker = clock.setInterval(review, REVIEW_MS);
  let samples: SilentSample[];
  try {
    samples = await runSilentSessions(
      ctx,
      keepalives.map((keepalive) => ({ keepalive, offsetMs: 0, round: 0 })),
      undefined,
      {
        waitMs: horizonS * 1000,
        kind: "planned",
        evidence,
        stop: (i) => stops[i]?.promise ?? Promise.resolve(),
        gate: (i) => (i === 0 ? Promise.resolve() : (answered[i - 1]?.promise ?? Promise.resolve())),
        connected: (i, at) => {
          connectedAt[i] = at;
          answered[i]?.resolve();
        },
      },
    );
  } finally {
    unsubscribe();
    clock.clear(ticker);
  }
  // the sessions that ended by themselves (kicked, or at the horizon) were not stopped early; a stopped one
  // claims to have been spared only the kicks due SPARE_S before it stopped (a close may be on its way)
  const early = samples.filter((s, i) => stopped.has(i) && s.closeAt === null);
  for (const s of early) s.waited = round(Math.max(0, s.waited - SPARE_S));
  const endedEarly = early.length;
  const tick = tickHypotheses(horizonS, evidence.observations(clock.now())).length > 0;
  return {
    samples: tick ? samples : [],
    run: {
      prior: {
        tickS: [prior[0]?.tickS ?? 0, prior.at(-1)?.tickS ?? 0],
        multiplier: [PRIOR_MULTIPLIER[0], PRIOR_MULTIPLIER[1]],
      },
      horizon: round(horizonS, 3),
      keepalives,
      outcome: tick ? "tick" : "not-tick",
      endedEarly,
    },
  };
}

/**
 * Per planned session (`elapsedS`: seconds since its CONNECT): whether it can still tell anything, given every
 * observation so far — some hypothesis left (tickHypotheses) has a multiplier cut of its keepalive still to be
 * revealed within the horizon (stillTells). Pure: the probe and the model-driven tests run the same decision.
 */
export function stillTelling(
  plan: KeepalivePlan,
  observations: readonly Observation[],
  elapsedS: readonly number[],
): boolean[] {
  const hypotheses = tickHypotheses(plan.horizonS, observations);
  return plan.keepalives.map((k, i) => stillTells(hypotheses, k, elapsedS[i] ?? 0, plan.horizonS));
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
