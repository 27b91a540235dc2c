import type { ScenarioResult } from "../scenarios/types.js";

/** The table report's lines for a session scenario's outcome (none when it has none). */
export function sessionLines(s: ScenarioResult, _width: number): string[] {
  if (!s.session) return [];
  return [];
}
