import { expect } from "vitest";
import type { CheckId } from "../../src/probe/check-ids.js";
import { type FindingOf, ownFinding, type ProbeFinding } from "../../src/probe/findings.js";

/** Check `id`'s own finding in a probe result (its `measured` typed); throws when the check did not run. */
export function findingOf<Id extends CheckId>(
  result: { checks: readonly ProbeFinding[] },
  id: Id,
): FindingOf<Id> {
  const f = ownFinding(result.checks, id);
  if (!f)
    throw new Error(`no ${id} finding of its own: ${JSON.stringify(result.checks.find((c) => c.id === id))}`);
  return f;
}

/** Asserts a finding's code, narrowing its `measured` to that code's. */
export function expectCode<F extends ProbeFinding, C extends F["code"]>(
  f: F,
  code: C,
): asserts f is F & { code: C } {
  expect(f.code).toBe(code);
}
