import type { ScenarioResult } from "../scenarios/types.js";

/** The JSON members a session scenario's outcome adds to its scenario object (none when it has none). */
export function sessionJson(s: ScenarioResult): Record<string, unknown> {
  if (!s.session) return {};
  return {};
}
