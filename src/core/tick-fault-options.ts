import { parseDuration } from "./duration.js";
import { UsageError } from "./errors.js";
import type { ProfileName, TickFault } from "./profile.js";

/** The simulated tick-fault options, raw as commander hands them over (src/cli/profile-options.ts). */
export interface RawTickFaultOptions {
  tickJitter?: string;
  tickDrift?: string;
  tickSeed?: string;
}

/** Drift outside this range is no longer a drifting timer (−90 %: ticks 10× too often). */
export const MIN_TICK_DRIFT = -0.9;
export const MAX_TICK_DRIFT = 10;

/** Why each profile without a per-connection tick refuses the options. */
const NO_TICK: Record<Exclude<ProfileName, "nanomq">, string> = {
  mosquitto: "its keepalive is one broker-wide sweep every 6 s on whole seconds",
  spec: "its deadline is exactly 1.5 × keepalive after the last packet",
};

/** The first tick option given, for messages. */
function firstGiven(raw: RawTickFaultOptions): string | undefined {
  if (raw.tickJitter !== undefined) return "--tick-jitter";
  if (raw.tickDrift !== undefined) return "--tick-drift";
  if (raw.tickSeed !== undefined) return "--tick-seed";
  return undefined;
}

/** `5%`, `+5%`, `-20%`, `2.5%` → 0.05, 0.05, −0.2, 0.025. */
export function parseDriftPercent(text: string, what = "--tick-drift"): number {
  const match = /^\s*([+-]?\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  if (!match?.[1]) throw new UsageError(`${what}: expected a percentage like 5% or -20%, got "${text}"`);
  const drift = Number(match[1]) / 100;
  if (drift < MIN_TICK_DRIFT || drift > MAX_TICK_DRIFT)
    throw new UsageError(
      `${what}: expected from ${MIN_TICK_DRIFT * 100}% to ${MAX_TICK_DRIFT * 100}% (every interval that much longer; negative = a fast timer), got "${text}"`,
    );
  return drift;
}

/**
 * Validates --tick-jitter, --tick-drift and --tick-seed: a SIMULATED fault of the nanomq profile's per-connection
 * tick (core/profile.ts, TickFault). Undefined when none is set or both are 0 (the tick runs exactly as without).
 */
export function parseTickFault(raw: RawTickFaultOptions, profile: ProfileName): TickFault | undefined {
  const given = firstGiven(raw);
  if (given === undefined) return undefined;
  if (profile !== "nanomq")
    throw new UsageError(
      `${given}: the ${profile} profile has no per-connection tick to disturb (${NO_TICK[profile]}); only --profile nanomq has one`,
    );
  const jitterMs = raw.tickJitter === undefined ? 0 : parseDuration(raw.tickJitter, "--tick-jitter");
  const drift = raw.tickDrift === undefined ? 0 : parseDriftPercent(raw.tickDrift);
  let seed = 1;
  if (raw.tickSeed !== undefined) {
    if (raw.tickJitter === undefined)
      throw new UsageError("--tick-seed: needs --tick-jitter (only the jitter is drawn at random)");
    if (!/^\s*\d+\s*$/.test(raw.tickSeed) || Number(raw.tickSeed) > 0xffffffff)
      throw new UsageError(
        `--tick-seed: expected a whole number from 0 to 4294967295, got "${raw.tickSeed}"`,
      );
    seed = Number(raw.tickSeed);
  }
  if (jitterMs === 0 && drift === 0) return undefined;
  return { jitterMs, drift, seed };
}

/** An external broker keeps its own timers: the simulated tick fault applies to the embedded broker only. */
export function refuseTickFaultOnExternal(raw: RawTickFaultOptions): void {
  const given = firstGiven(raw);
  if (given !== undefined)
    throw new UsageError(
      `${given}: simulates a fault of the embedded broker's timer; an external broker (--broker) runs its own`,
    );
}
