import { UsageError } from "../../core/errors.js";
import { explainEntry } from "../../report/explain-table.js";
import { explainAll, explainQuery, rvQuery } from "../../signatures/explain-lookup.js";
import { RV_MEANINGS } from "../../signatures/rv.js";
import { outputOptions, reportColumns, writeReport } from "../output.js";

/** `mqdiag explain`'s action, imported only when that command runs. */
export async function runExplain(words: string[], raw: Record<string, string>): Promise<number> {
  const output = outputOptions(raw, ["table", "json"]);
  const query = words.length > 0 ? words.join(" ") : null;
  const entries = query === null ? explainAll() : explainQuery(query);
  if (query !== null && entries.length === 0) throw new UsageError(unknownQuery(query));
  const width = reportColumns(output);
  const text =
    output.format === "json"
      ? (await import("../../report/explain-json.js")).explainJson(query, entries)
      : query === null
        ? (await import("../../report/explain-list.js")).explainList(entries, width)
        : entries.map((e) => explainEntry(e, width)).join("\n");
  await writeReport(text, output);
  return 0;
}

/** The one line for a query explain knows nothing about; an rv it does not know says which ones it does. */
function unknownQuery(query: string): string {
  const rv = rvQuery(query);
  if (rv === undefined)
    return `explain: nothing known about "${query}" (mqdiag explain lists every signature)`;
  const known = RV_MEANINGS.map((m) => m.rv)
    .sort((a, b) => a - b)
    .join(", ");
  return `explain: rv ${rv} is not one mqdiag knows (known: ${known}); the line before it in the log says what happened`;
}
