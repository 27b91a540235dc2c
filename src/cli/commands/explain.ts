import type { Command } from "commander";
import { UsageError } from "../../core/errors.js";
import { explainJson } from "../../report/explain-json.js";
import { explainEntry, explainList } from "../../report/explain-table.js";
import { explainAll, explainQuery, rvQuery } from "../../signatures/explain-lookup.js";
import { RV_MEANINGS } from "../../signatures/rv.js";
import { outputOptions, withOutputOptions, writeReport } from "../output.js";

const EXAMPLES = `
Examples:
  mqdiag explain                                   every signature and incident kind
  mqdiag explain keepalive-timeout                 meaning, causes, checks, fixes, spec, scenario
  mqdiag explain 139                               what an rv means (also 0x8b)
  mqdiag explain "nni aio recv error!! Object closed"   a pasted log line
  mqdiag explain parse-error --format json`;

/** `mqdiag explain [signature|rv|line]` (issue 5). */
export function registerExplain(program: Command): void {
  const cmd = program
    .command("explain")
    .description("what a broker log signature means: causes, checks, fixes, spec references")
    .argument("[query...]", "a signature id, an incident kind, an rv number, or a log line (quote it)")
    .addHelpText("after", EXAMPLES);
  withOutputOptions(cmd, ["table", "json"]).action(async (words: string[], raw: Record<string, string>) => {
    const output = outputOptions(raw, ["table", "json"]);
    const query = words.length > 0 ? words.join(" ") : null;
    const entries = query === null ? explainAll() : explainQuery(query);
    if (query !== null && entries.length === 0) throw new UsageError(unknownQuery(query));
    const text =
      output.format === "json"
        ? explainJson(query, entries)
        : query === null
          ? explainList(entries)
          : entries.map(explainEntry).join("\n");
    await writeReport(text, output);
    process.exitCode = 0;
  });
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
