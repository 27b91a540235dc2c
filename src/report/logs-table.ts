import chalk from "chalk";
import { summaryDialect } from "../logs/classify.js";
import type { Incident } from "../logs/incident.js";
import { reasonCodeText } from "../logs/pipe-close.js";
import type { LogSummary } from "../logs/summary.js";
import { brokerOf } from "../signatures/explain-fixes.js";
import type { IncidentKind } from "../signatures/incident-kinds.js";
import { fitTable } from "./fit-table.js";
import { incidentChart } from "./logs-chart.js";
import { logsGlance } from "./logs-glance.js";
import { namesTable } from "./logs-names-table.js";
import {
  adviceBlock,
  guessedLines,
  headingLines,
  incidentsTable,
  kindsByCount,
  logTime,
  NO_INCIDENTS,
  unparsedLines,
} from "./logs-parts.js";
import { DEFAULT_WIDTH, fitLines, proseWidth, wrap } from "./width.js";

/** How much the table report shows: the glance (default), or every piece of evidence (`--details`). */
export interface LogsView {
  details?: boolean;
  /** Kinds seen that `--fail-on` names: the glance gives them their causes and fixes in full. */
  failing?: ReadonlySet<IncidentKind>;
}

/**
 * The `mqdiag logs` table report, every line at most `width` columns: the glance (logs-glance.ts) or, with
 * `details`, everything: incidents, signatures, the lines known to be no incident, the named clients, a per-minute
 * chart, unparsed lines, and advice for the broker the log is from.
 */
export function logsTable(summary: LogSummary, width = DEFAULT_WIDTH, view: LogsView = {}): string {
  const lines = view.details
    ? detailLines(summary, width)
    : logsGlance(summary, width, view.failing ?? new Set());
  return `${fitLines(lines.join("\n"), width)}\n`;
}

function detailLines(summary: LogSummary, width: number): string[] {
  const broker = brokerOf(summaryDialect(summary));
  const out = headingLines(summary, width);
  const kinds = kindsByCount(summary);
  if (kinds.length === 0) out.push("", NO_INCIDENTS);
  else out.push("", chalk.bold("Incidents"), incidentsTable(kinds, width));
  if (summary.signatures.size > 0) {
    const sigs = [...summary.signatures].sort(([, a], [, b]) => b.count - a.count);
    const t = fitTable(
      ["signature", "lines", "first", "last"],
      sigs.map(([id, s]) => [id, String(s.count), logTime(s.first), logTime(s.last)]),
      [{}, {}, { min: 10 }, { min: 10 }],
      width,
    );
    out.push("", chalk.bold("Signatures"), t);
  }
  if (summary.known.size > 0) {
    const known = [...summary.known].sort(([, a], [, b]) => b.count - a.count);
    out.push(
      "",
      ...wrap(
        `Known lines, no incident: ${known.map(([id, k]) => `${id} ${k.count}`).join(", ")} (mqdiag explain <id>)`,
        proseWidth(width),
        "",
        "  ",
      ),
    );
  }
  out.push(...namesTable(summary, width));
  // the chart's rows: 2 spaces, the kind, a space, then one column per minute (at most 60)
  const label = Math.max(0, ...kinds.map((k) => k.kind.length));
  const chart = incidentChart(kinds, Math.max(10, Math.min(60, width - label - 3)));
  if (chart.length > 0) out.push("", chalk.bold("Incidents per minute"), ...chart);
  out.push(...unparsedLines(summary, width), ...guessedLines(kinds, width));
  for (const k of kinds) if (k.kind !== "clean-disconnect") out.push(...adviceBlock(k.kind, broker, width));
  return out;
}

/** One incident as it completes under `--follow`. */
export function incidentLine(incident: Incident): string {
  const who = incident.clients.length > 0 ? ` ${incident.clients.join(", ")}` : "";
  const lines =
    incident.firstLine === incident.lastLine
      ? `line ${incident.firstLine}`
      : `lines ${incident.firstLine}–${incident.lastLine}`;
  const notes = [incident.guessed ? "grouped by guess" : "", incident.complete ? "" : "incomplete"].filter(
    Boolean,
  );
  const c = incident.closed;
  const named = c ? ` [${c.ip ? `${c.ip}, ` : ""}reason ${reasonCodeText(c.reasonCode)}]` : "";
  return `${logTime(incident.first)} ${chalk.bold(incident.kind)}${who}${named} (${lines}${notes.length ? `; ${notes.join("; ")}` : ""})`;
}
