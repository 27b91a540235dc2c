import type { ScenarioResult } from "../scenarios/types.js";

/** The JSON members a network-fault scenario's outcome adds to its scenario object (none when it has none). */
export function networkJson(s: ScenarioResult): Record<string, unknown> {
  if (!s.network) return {};
  return {};
}
