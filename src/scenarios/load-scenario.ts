import { UsageError } from "../core/errors.js";
import { SCENARIO_CATALOGUE, SCENARIO_NAMES } from "./catalogue.js";
import type { ScenarioDefinition, ScenarioName } from "./types.js";

const unknown = (name: string) =>
  new UsageError(`unknown scenario "${name}" (choose ${SCENARIO_NAMES.join(", ")} or all)`);

/** Resolves the command line's names ("all", or none = all) to scenarios, rejecting unknown ones. */
export function resolveScenarioNames(names: readonly string[]): ScenarioName[] {
  if (names.length === 0 || names.includes("all")) return [...SCENARIO_NAMES];
  const out: ScenarioName[] = [];
  for (const n of names) {
    if (!SCENARIO_NAMES.includes(n)) throw unknown(n);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** A scenario's definition, from its catalogue line (its module is imported on first use). */
export async function loadScenario(name: ScenarioName): Promise<ScenarioDefinition<unknown>> {
  const entry = SCENARIO_CATALOGUE.find((e) => e.name === name);
  if (!entry) throw unknown(name);
  return entry.load();
}
