import chalk from "chalk";
import { summaryDialect } from "../logs/classify.js";
import type { LogSummary } from "../logs/summary.js";
import { brokerOf } from "../signatures/explain-fixes.js";
import { type IncidentKind, kindExplanation } from "../signatures/incident-kinds.js";
import { namingNoteLines, settingsLines } from "./logs-names-table.js";
import {
  adviceBlock,
  guessedLines,
  headingLines,
  incidentsTable,
  kindsByCount,
  NO_INCIDENTS,
  unparsedLines,
} from "./logs-parts.js";
import { wrap } from "./width.js";

/** What `--details` adds, said under the glance. */
export const LOGS_DETAILS_HINT =
  "--details: signatures, named clients, incidents per minute, causes and fixes for this broker";

/**
 * The glance view of `mqdiag logs` (issue 17): the incidents per kind with the clients they name (one line each),
 * NanoMQ's own settings and its kicks checked against them (each early kick listed), what the log could not read,
 * then one line per kind saying what it is. Kinds that `--fail-on` names get their causes and fixes in full; the
 * rest of the evidence (signatures, named clients, chart, fixes) is left to `--details`.
 */
export function logsGlance(summary: LogSummary, width: number, failing: ReadonlySet<IncidentKind>): string[] {
  const out = headingLines(summary, width);
  const kinds = kindsByCount(summary);
  if (kinds.length === 0) out.push("", NO_INCIDENTS);
  else {
    const total = kinds.reduce((n, k) => n + k.count, 0);
    const named = summary.namedCount > 0 ? `, ${summary.namedCount} named by NanoMQ's pipe close! lines` : "";
    out.push(
      "",
      chalk.bold(`Incidents: ${total} in ${kinds.length} kind${kinds.length === 1 ? "" : "s"}${named}`),
      incidentsTable(kinds, width, true),
    );
  }
  out.push(...namingNoteLines(summary, width), ...settingsLines(summary, width));
  out.push(...unparsedLines(summary, width), ...guessedLines(kinds, width));
  const explained = kinds.filter((k) => k.kind !== "clean-disconnect");
  const brief = explained.filter((k) => !failing.has(k.kind));
  if (brief.length > 0) {
    const label = Math.max(...brief.map((k) => k.kind.length)) + 2;
    out.push("", chalk.bold("What they are (mqdiag explain <kind>: causes and fixes)"));
    for (const k of brief)
      out.push(
        ...wrap(kindExplanation(k.kind).title, width, `  ${k.kind.padEnd(label)}`, " ".repeat(label + 2)),
      );
  }
  const broker = brokerOf(summaryDialect(summary));
  for (const k of explained) if (failing.has(k.kind)) out.push(...adviceBlock(k.kind, broker, width));
  out.push("", chalk.gray(LOGS_DETAILS_HINT));
  return out;
}
