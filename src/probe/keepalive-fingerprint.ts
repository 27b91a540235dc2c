import { round } from "./connect-params.js";
import { leastSquares, median } from "./stats.js";
import type { CheckStatus } from "./types.js";

/** The spec's limit: no inbound packet for 1.5 × keepalive → disconnect [MQTT-3.1.2-24] (3.1.1). */
export const SPEC_MULTIPLIER = 1.5;
/** A kick later than 1.5 × keepalive + this many seconds warns (dead clients linger, wills come late). */
export const LATE_TOLERANCE_S = 2;
/**
 * Slack for "early". Brokers keep last-activity time in whole seconds: mosquitto computes keepalive*3/2 in
 * integer arithmetic and compares whole-second timestamps, so a keepalive-1 client can go after just over 1.0 s
 * (measured against the real mosquitto 2.0.11). Within half a second of 1.5 × keepalive counts as on time and
 * is only reported (`belowSpec`); earlier fails.
 */
export const EARLY_TOLERANCE_S = 0.5;

export interface KickSample {
  keepalive: number;
  /** Seconds from the last packet to the close; null = not closed within max-wait. */
  kickAfter: number | null;
}

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

export type Reading =
  | { code: "tick-dominated"; tick: number; floor: number }
  | { code: "sweep-dominated"; floor: number; granularity: number }
  | { code: "multiplier-with-sweep"; multiplier: number; granularity: number }
  | { code: "multiplier"; multiplier: number }
  | { code: "single-keepalive"; ratio: number; granularity: number }
  | { code: "none" };

export interface Fingerprint {
  groups: KeepaliveGroup[];
  inferred: { multiplier: number | null; intercept: number | null; granularity: number | null };
  reading: Reading;
  status: CheckStatus;
  code: "within-window" | "early-kick" | "late-kick" | "not-kicked" | "no-samples";
  /** Largest kick - 1.5 × keepalive among late kicks (s). */
  lag: number | null;
  /** Earliest kick / keepalive among early kicks. */
  earliestRatio: number | null;
  notKicked: number;
  /** Kicks before 1.5 × keepalive, including those within EARLY_TOLERANCE_S. */
  belowSpec: number;
}

/**
 * Infers the broker's keepalive model from silent sessions' kick delays: multiplier = least-squares slope of
 * kick delay over keepalive; granularity = the spread of the delays around that line, scaled by n/(n−1)
 * because n evenly staggered phases span (n−1)/n of the sweep period (see keepalive-plan.ts).
 */
export function fingerprint(samples: readonly KickSample[], maxWaitS: number): Fingerprint {
  const kicked = samples.filter((s): s is { keepalive: number; kickAfter: number } => s.kickAfter !== null);
  const keepalives = [...new Set(samples.map((s) => s.keepalive))].sort((a, b) => a - b);
  const groups = keepalives.map((keepalive) => group(keepalive, samples));
  const distinct = new Set(kicked.map((s) => s.keepalive)).size;
  const fit =
    distinct >= 2 ? leastSquares(kicked.map((s) => ({ x: s.keepalive, y: s.kickAfter }))) : undefined;
  const slope = fit?.slope ?? SPEC_MULTIPLIER;
  const intercept = fit?.intercept ?? median(kicked.map((s) => s.kickAfter - SPEC_MULTIPLIER * s.keepalive));
  const residuals = kicked.map((s) => s.kickAfter - slope * s.keepalive - intercept);
  const n = residuals.length;
  const granularity = n >= 2 ? ((Math.max(...residuals) - Math.min(...residuals)) * n) / (n - 1) : null;
  const inferred = {
    multiplier: fit ? round(fit.slope, 2) : null,
    intercept: fit ? round(fit.intercept, 2) : null,
    granularity: granularity === null ? null : round(granularity, 1),
  };
  const early = kicked.filter((s) => s.kickAfter < SPEC_MULTIPLIER * s.keepalive - EARLY_TOLERANCE_S);
  const lags = kicked.map((s) => s.kickAfter - SPEC_MULTIPLIER * s.keepalive);
  const late = lags.filter((lag) => lag > LATE_TOLERANCE_S);
  const notKicked = samples.filter((s) => s.kickAfter === null);
  // Not closed within max-wait is only evidence when max-wait reaches past the late threshold.
  const lingering = notKicked.filter((s) => maxWaitS >= SPEC_MULTIPLIER * s.keepalive + LATE_TOLERANCE_S);
  const base = {
    groups,
    inferred,
    reading: reading(groups, inferred, kicked.length),
    lag: late.length ? round(Math.max(...late), 2) : null,
    earliestRatio: early.length ? round(Math.min(...early.map((s) => s.kickAfter / s.keepalive)), 2) : null,
    notKicked: notKicked.length,
    belowSpec: kicked.filter((s) => s.kickAfter < SPEC_MULTIPLIER * s.keepalive).length,
  };
  if (samples.length === 0) return { ...base, status: "error", code: "no-samples" };
  if (early.length) return { ...base, status: "fail", code: "early-kick" };
  if (lingering.length) return { ...base, status: "fail", code: "not-kicked" };
  if (notKicked.length) return { ...base, status: "warn", code: "not-kicked" };
  if (late.length) return { ...base, status: "warn", code: "late-kick" };
  return { ...base, status: "pass", code: "within-window" };
}

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

function reading(groups: KeepaliveGroup[], inferred: Fingerprint["inferred"], kicked: number): Reading {
  if (kicked === 0) return { code: "none" };
  const { multiplier, granularity } = inferred;
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
