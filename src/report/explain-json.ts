import type { ExplainEntry } from "../signatures/explain-lookup.js";

/** `mqdiag explain --format json`, schema mqdiag.explain/v1: the query (null = list all) and its entries. */
export function explainJson(query: string | null, entries: readonly ExplainEntry[]): string {
  return `${JSON.stringify({ schema: "mqdiag.explain/v1", query, entries }, null, 2)}\n`;
}
