import type { JsonMembers, OutcomeKind, ScenarioOutcome, ScenarioResult } from "./types.js";

/** How one kind of outcome is worded: pure functions of the value and its scenario's result (src/report). */
export interface OutcomeWords<Outcome> {
  /** The table report's lines after the checks, `width` columns wide. */
  lines(value: Outcome, result: ScenarioResult, width: number): string[];
  /** The members added to the scenario's object in the JSON report (after its checks). */
  json(value: Outcome, result: ScenarioResult): JsonMembers;
  /** One sentence saying what the scenario showed, for the table's glance view (optional). */
  summary?(value: Outcome, result: ScenarioResult): string;
}

/**
 * An outcome kind: a scenario's definition names one (`outcome`), its script reports a value (`ctx.report`), the
 * runner binds the value to these words for the reports, and `of` gives tests and callers the typed value back.
 * Several scenarios may share a kind (network-stall and pingresp-lost report the same race).
 */
export function outcomeKind<Outcome>(words: OutcomeWords<Outcome>): OutcomeKind<Outcome> {
  // the bound outcomes this kind made, with their values: typed, so reading one back needs no cast
  const values = new WeakMap<ScenarioOutcome, Outcome>();
  return {
    wrap(value) {
      const bound: ScenarioOutcome = {
        lines: (result, width) => words.lines(value, result, width),
        json: (result) => words.json(value, result),
        ...(words.summary
          ? { summary: (result: ScenarioResult) => words.summary?.(value, result) ?? "" }
          : {}),
      };
      values.set(bound, value);
      return bound;
    },
    of: (result) => (result?.outcome ? values.get(result.outcome) : undefined),
  };
}
