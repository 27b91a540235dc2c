import { clientModel } from "../../keepalive/clients/catalogue.js";
import type { IdleQuantity, MeasuredDifference } from "../../keepalive/clients/types.js";
import type { GiveUp, MeasureCase, PingGaps } from "./measure.js";
import { conditionsOf, type ModelRanges, type Range } from "./model-range.js";

/**
 * A real library's measurement against its model. A measured time agrees when it lies in the model's range
 * widened by TOLERANCE: the broker stamps packets on arrival and the machine is shared, so a time can come up to
 * `lateMs` late (a timer, a process or the event loop delayed) and `earlyMs` early (the previous stamp late).
 * Outside that, it is a known difference when the model names one for that quantity (`measuredDifferences`) and
 * the time lies within it; otherwise it differs.
 */
export const TOLERANCE = { earlyMs: 50, lateMs: 200 } as const;

export type Quantity = IdleQuantity;
export type Verdict = { kind: "equal" } | { kind: "known"; name: string } | { kind: "differs" };

export interface Check {
  quantity: Quantity;
  of: MeasureCase;
  /** null: it did not give up within `watchedMs` (give-up only). */
  measuredMs: number | null;
  watchedMs?: number;
  /** null: the model never gives up. */
  model: Range | null;
  verdict: Verdict;
}

function within(ms: number, r: Range, early = 0, late = 0): boolean {
  return ms >= r.minMs - TOLERANCE.earlyMs - early && ms <= r.maxMs + TOLERANCE.lateMs + late;
}

function verdict(quantity: Quantity, of: MeasureCase, ms: number | null, model: Range | null): Verdict {
  if (ms === null || model === null) return ms === model ? { kind: "equal" } : { kind: "differs" };
  if (within(ms, model)) return { kind: "equal" };
  const known = differenceFor(of, quantity);
  if (known) {
    const { earlyMs, lateMs } = known.beyond(conditionsOf(of));
    if (within(ms, model, earlyMs, lateMs)) return { kind: "known", name: known.name };
  }
  return { kind: "differs" };
}

/** The model's named difference for `quantity`; the first gap is an idle gap after the CONNECT, so a gap's counts. */
function differenceFor(of: MeasureCase, quantity: Quantity): MeasuredDifference | undefined {
  const all = clientModel(of.library).measuredDifferences ?? [];
  return (
    all.find((d) => d.quantity === quantity) ??
    (quantity === "first-gap" ? all.find((d) => d.quantity === "gap") : undefined)
  );
}

function caseOf(m: MeasureCase): MeasureCase {
  return { library: m.library, keepaliveS: m.keepaliveS, loopIntervalMs: m.loopIntervalMs };
}

/** One check for the first gap and one per idle gap measured. */
export function checkGaps(m: PingGaps, model: ModelRanges): Check[] {
  const of = caseOf(m);
  const check = (quantity: Quantity, ms: number | null, r: Range): Check => ({
    quantity,
    of,
    measuredMs: ms,
    model: r,
    verdict: ms === null ? { kind: "differs" } : verdict(quantity, of, ms, r),
  });
  return [
    check("first-gap", m.firstGapMs, model.firstGap),
    ...m.gapsMs.map((g) => check("gap", g, model.gap)),
  ];
}

/** Not giving up within the watch (GIVE_UP_WATCH_MS, past every model's give-up) agrees with a model that never does. */
export function checkGiveUp(g: GiveUp, model: ModelRanges): Check {
  const of = caseOf(g);
  return {
    quantity: "give-up",
    of,
    measuredMs: g.afterMs,
    watchedMs: g.watchedMs,
    model: model.giveUpAfter,
    verdict: verdict("give-up", of, g.afterMs, model.giveUpAfter),
  };
}
