import type { ScenarioResult } from "../scenarios/types.js";

/** The table report's lines for a network-fault scenario's outcome (none when it has none). */
export function networkLines(s: ScenarioResult, _width: number): string[] {
  if (!s.network) return [];
  return [];
}
