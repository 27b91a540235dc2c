import type { ExplainEntry } from "../signatures/explain-lookup.js";
import { fitTable } from "./fit-table.js";
import { DEFAULT_WIDTH, wrap } from "./width.js";

/**
 * `mqdiag explain` without an argument: every signature and incident kind, one row each, in `width` columns. Kept
 * apart from explain-table.ts so that `mqdiag explain <id>` does not load cli-table3.
 */
export function explainList(entries: readonly ExplainEntry[], width = DEFAULT_WIDTH): string {
  const table = fitTable(
    ["id", "what", "reproduce with"],
    entries.map((e) => [
      e.id,
      `${e.title}${e.source === "incident" ? " (incident kind)" : ""}`,
      e.scenario ? `mqdiag scenario ${e.scenario}` : "",
    ]),
    [{}, { min: 20 }, { min: 16 }],
    width,
  );
  return `${table}\n${wrap('mqdiag explain <id | rv | "a log line"> tells more.', width).join("\n")}\n`;
}
