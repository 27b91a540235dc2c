import chalk from "chalk";
import { FIX_BROKER_NAMES, fixGroups } from "../signatures/explain-fixes.js";
import type { ExplainEntry } from "../signatures/explain-lookup.js";
import { fixLine } from "./logs-advice.js";
import { DEFAULT_WIDTH, proseWidth, wrap } from "./width.js";

/**
 * One entry in full: meaning, the lines that carry it, rv, causes, checks, fixes grouped by the broker they apply
 * to, spec references, scenario; every paragraph wrapped at word boundaries to fit `width` columns.
 */
export function explainEntry(e: ExplainEntry, width = DEFAULT_WIDTH): string {
  const w = proseWidth(width);
  const para = (text: string, first = "", rest = first) => wrap(text, w, first, rest);
  const out = para(`${e.id}: ${e.title}`).map((l) => chalk.bold(l));
  if (e.matchedText) out.push(...para(`matched: ${e.matchedText}`, "", "  "));
  out.push("", ...para(e.meaning));
  if (e.rv) {
    out.push(
      "",
      ...para(`rv ${e.rv.rv} (${e.rv.hex}, ${e.rv.name})`).map((l) => chalk.bold(l)),
      ...para(e.rv.meaning, "  "),
      ...para(`the line before it: ${e.rv.precededBy}`, "  ", "    "),
      ...para(`ends incidents of kind: ${e.rv.kinds.join(", ")}`, "  ", "    "),
    );
  }
  if (e.templates.length > 0) {
    out.push("", chalk.bold("Lines"));
    for (const t of e.templates) {
      const era = t.versions
        ? ` (NanoMQ ${t.versions})`
        : t.fromSource
          ? " (from the broker's source, not run)"
          : "";
      const lead = `  ${t.dialect.padEnd(9)} ${t.level.padEnd(6)} `;
      out.push(...wrap(`${t.text}${era}`, w, lead, " ".repeat(lead.length)));
    }
  }
  const list = (title: string, items: readonly string[]) => {
    if (items.length > 0) out.push("", chalk.bold(title), ...items.flatMap((i) => para(i, "  - ", "    ")));
  };
  list("Causes", e.causes);
  list("Check", e.checks);
  // Fixes by the broker they apply to: NanoMQ's levers, mosquitto's, then those for any broker.
  for (const g of fixGroups(e.fixes)) list(`Fix (${FIX_BROKER_NAMES[g.broker]})`, g.fixes.map(fixLine));
  list(
    "Spec",
    e.specRefs.map((r) => `[${r.rule}] (MQTT ${r.version}) ${r.says}`),
  );
  if (e.scenario) out.push("", ...para(`Reproduce: mqdiag scenario ${e.scenario}`));
  return `${out.join("\n")}\n`;
}
