import chalk from "chalk";
import type { ExplainEntry } from "../signatures/explain-lookup.js";
import { fixLine } from "./logs-advice.js";
import { reportTable } from "./table.js";

/** `mqdiag explain` without an argument: every signature and incident kind, one line each. */
export function explainList(entries: readonly ExplainEntry[]): string {
  const t = reportTable(["id", "what", "reproduce with"]);
  for (const e of entries) {
    t.push([
      e.id,
      `${e.title}${e.source === "incident" ? " (incident kind)" : ""}`,
      e.scenario ? `mqdiag scenario ${e.scenario}` : "",
    ]);
  }
  return `${t.toString()}\nmqdiag explain <id | rv | "a log line"> tells more.\n`;
}

/** One entry in full: meaning, the lines that carry it, rv, causes, checks, fixes, spec references, scenario. */
export function explainEntry(e: ExplainEntry): string {
  const out = [chalk.bold(`${e.id}: ${e.title}`)];
  if (e.matchedText) out.push(`matched: ${e.matchedText}`);
  out.push("", e.meaning);
  if (e.rv) {
    out.push(
      "",
      chalk.bold(`rv ${e.rv.rv} (${e.rv.hex}, ${e.rv.name})`),
      `  ${e.rv.meaning}`,
      `  the line before it: ${e.rv.precededBy}`,
      `  ends incidents of kind: ${e.rv.kinds.join(", ")}`,
    );
  }
  if (e.templates.length > 0) {
    out.push("", chalk.bold("Lines"));
    for (const t of e.templates) {
      const era = t.versions ? ` (NanoMQ ${t.versions})` : "";
      out.push(`  ${t.dialect.padEnd(9)} ${t.level.padEnd(6)} ${t.text}${era}`);
    }
  }
  const list = (title: string, items: readonly string[]) => {
    if (items.length > 0) out.push("", chalk.bold(title), ...items.map((i) => `  - ${i}`));
  };
  list("Causes", e.causes);
  list("Check", e.checks);
  list("Fix", e.fixes.map(fixLine));
  list(
    "Spec",
    e.specRefs.map((r) => `[${r.rule}] (MQTT ${r.version}) ${r.says}`),
  );
  if (e.scenario) out.push("", `Reproduce: mqdiag scenario ${e.scenario}`);
  return `${out.join("\n")}\n`;
}
