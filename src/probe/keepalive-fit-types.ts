/** Shared inputs of the keepalive model fit (keepalive-fit.ts). Times in seconds. */

/**
 * How far a measured kick may sit from a model's prediction: the client's timestamps bracket the CONNECT and the
 * close (loopback: a few ms), the broker's timer fires a little late, and a loaded host adds tens of ms.
 */
export const FIT_TOLERANCE_S = 0.15;
/**
 * A multiplier range no wider than this is pinned: any value named inside it is within ±0.05 of the broker's
 * (the target at Q 1 s), whichever value is named.
 */
export const MULTIPLIER_PIN = 0.05;

export const fitToleranceS = (t: number): number => FIT_TOLERANCE_S + 0.005 * t;

/**
 * A per-connection tick of at least LATE_TICK_S seconds also takes kicks up to LATE_EXTRA_S later than the
 * tolerance: a timer only fires late and a close is only seen late (a loaded host stalls the probe's event loop
 * for tenths of a second), never early. Half a second is under a tenth of such a tick, so a late kick is never
 * taken for another tick's; below it (Q 1 s) the extra would let a neighbouring Q fit as well.
 */
export const LATE_TICK_S = 5;
export const LATE_EXTRA_S = 0.5;
export const lateToleranceS = (t: number, tickS: number): number =>
  fitToleranceS(t) + (tickS >= LATE_TICK_S ? LATE_EXTRA_S : 0);

/** One keepalive value's kicks, silent since CONNECT: t = their median delay, spread = max − min. */
export interface FitGroup {
  keepalive: number;
  t: number;
  spread: number;
  kicked: number;
}

/** A session not kicked within `waited` s of its CONNECT. */
export interface Waited {
  keepalive: number;
  waited: number;
}

export const MODELS = ["exact", "sweep", "tick", "unknown"] as const;
export type ModelName = (typeof MODELS)[number];

/** What the samples leave open, as data (reporters word it). */
export type OpenQuestion =
  | { parameter: "model"; code: "ambiguous"; candidates: ModelName[] }
  | { parameter: "model"; code: "no-kick" }
  | { parameter: "multiplier"; code: "range"; range: [number, number | null]; needMaxWaitS: number | null }
  | { parameter: "tickS"; code: "ambiguous"; candidates: number[] }
  | { parameter: "granularityS"; code: "one-sweep" };

export type WholeSeconds = "up" | "down";

/** The best-fitting model and its parameters. */
export interface ModelFit {
  model: ModelName;
  /** exact: kick = multiplier × keepalive; sweep: the slope; tick: NanoMQ's keepalive_multiplier M. */
  multiplier: number | null;
  /** The multipliers the samples cannot tell apart, [lo, hi); hi null = unbounded. */
  multiplierRange: [number, number | null] | null;
  /** tick: NanoMQ's retry_interval Q (s). */
  tickS: number | null;
  /** sweep: the period of the broker-wide keepalive sweep (s). */
  granularityS: number | null;
  /**
   * exact only: the kick is multiplier × keepalive rounded to whole seconds, `up` (ejabberd's mod_mqtt: Erlang's
   * round(KA × 1.5) rounds the halves of odd keepalives up) or `down` (HiveMQ's int(KA × 1.5), from its source).
   * Absent when the products themselves fit.
   */
  wholeSeconds?: WholeSeconds;
  /** Other models that fit the samples as well. */
  alsoFits: ModelName[];
  open: OpenQuestion[];
}

export interface Inferred {
  model: ModelFit["model"];
  multiplier: number | null;
  multiplierRange: ModelFit["multiplierRange"];
  tickS: number | null;
  granularityS: number | null;
  slope: number | null;
  intercept: number | null;
  granularity: number | null;
  /** exact: the kick is the product rounded to whole seconds this way. */
  wholeSeconds?: ModelFit["wholeSeconds"];
  alsoFits: ModelFit["alsoFits"];
  open: ModelFit["open"];
}
