import { toMicros } from "./grid.js";
import type { ClientConditions, ClientModel, IdleRun, MsRange } from "./types.js";

/** How many phases of a phased model's clocks are sampled (10-ms steps of a second, 1 % of a loop period). */
export const PHASE_SAMPLES = 100;

/** PINGREQs simulated per phase: enough for the steady rhythm of every model here. */
export const HORIZON_PINGS = 10;

/** The phases ∈ [0, 1) a model is evaluated at: one for a deterministic model. */
export function clientPhases(model: ClientModel): number[] {
  return model.phased ? Array.from({ length: PHASE_SAMPLES }, (_, k) => k / PHASE_SAMPLES) : [0];
}

/** The model's idle run at every sampled phase. */
export function idleRuns(model: ClientModel, c: ClientConditions, pings = HORIZON_PINGS): IdleRun[] {
  return clientPhases(model).map((phase) => model.idleRun(c, phase, pings));
}

export function rangeOf(values: readonly number[]): MsRange | null {
  if (values.length === 0) return null;
  return { minMs: toMicros(Math.min(...values)), maxMs: toMicros(Math.max(...values)) };
}

/** The gap between consecutive PINGREQs of an idle client (as sent), over every phase; null = it never pings. */
export function idlePingGap(model: ClientModel, c: ClientConditions): MsRange | null {
  return rangeOf(
    idleRuns(model, c).flatMap((run) => run.pingsAt.slice(1).map((t, i) => t - (run.pingsAt[i] ?? t))),
  );
}

/** The first PINGREQ, ms after the CONNECT was sent; null = it never pings. */
export function firstPing(model: ClientModel, c: ClientConditions): MsRange | null {
  return rangeOf(idleRuns(model, c).flatMap((run) => run.pingsAt.slice(0, 1)));
}

/** How long after an unanswered PINGREQ the client gives up; null = never. */
export function giveUpAfterPing(model: ClientModel, c: ClientConditions): MsRange | null {
  return rangeOf(
    idleRuns(model, c).flatMap((run) =>
      run.giveUpAt.flatMap((g, i) => (g === null ? [] : [g - (run.pingsAt[i] ?? g)])),
    ),
  );
}
