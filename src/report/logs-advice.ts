import type { Explanation, Fix } from "../signatures/types.js";

/** A fix as one line: what to change, then the config key and its unit. */
export function fixLine(fix: Fix): string {
  const key = fix.configKey ? ` [${fix.configKey}${fix.unit ? `, ${fix.unit}` : ""}]` : "";
  return `${fix.change}${key}`;
}

/** The short advice block for one incident kind seen in a log. */
export function adviceLines(e: Explanation): string[] {
  const lines = [`  ${e.meaning}`];
  for (const fix of e.fixes.slice(0, 3)) lines.push(`  - ${fixLine(fix)}`);
  lines.push(
    `  more: mqdiag explain ${e.id}${e.scenario ? ` · reproduce: mqdiag scenario ${e.scenario}` : ""}`,
  );
  return lines;
}
