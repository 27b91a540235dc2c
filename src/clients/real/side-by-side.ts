import { GAPS_PER_CASE, GIVE_UP_WATCH_MS, gapsTimeoutMs } from "./cases.js";
import { type Check, checkGaps, checkGiveUp } from "./compare.js";
import {
  type GiveUp,
  type MeasureCase,
  type MeasureEnv,
  measureGiveUp,
  measurePingGaps,
  type PingGaps,
} from "./measure.js";
import { conditionsOf, type ModelRanges, modelRangesOf } from "./model-range.js";

export type CaseKind = "gaps" | "give-up";

export interface CaseResult {
  kind: CaseKind;
  of: MeasureCase;
  measured: PingGaps | GiveUp;
  model: ModelRanges;
  checks: Check[];
}

/** Measures one case of a real library and checks it against the library's model at the same conditions. */
export async function runCase(env: MeasureEnv, kind: CaseKind, c: MeasureCase): Promise<CaseResult> {
  const model = modelRangesOf(c.library, conditionsOf(c));
  if (kind === "gaps") {
    const measured = await measurePingGaps(env, { ...c, gaps: GAPS_PER_CASE, timeoutMs: gapsTimeoutMs(c) });
    return { kind, of: c, measured, model, checks: checkGaps(measured, model) };
  }
  const measured = await measureGiveUp(env, { ...c, watchMs: GIVE_UP_WATCH_MS });
  return { kind, of: c, measured, model, checks: [checkGiveUp(measured, model)] };
}
