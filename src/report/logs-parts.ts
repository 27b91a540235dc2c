import chalk from "chalk";
import { summaryDialect } from "../logs/classify.js";
import type { KindSummary, LogSummary } from "../logs/summary.js";
import { formatLogTime, type LogTime } from "../logs/timestamp.js";
import type { KnownBroker } from "../signatures/explain-fixes.js";
import { type IncidentKind, kindExplanation } from "../signatures/incident-kinds.js";
import { SOURCE_DIALECTS } from "../signatures/source-dialects.js";
import { fitTable } from "./fit-table.js";
import { adviceLines } from "./logs-advice.js";
import { proseWidth, shortList, wrap } from "./width.js";

/** The parts of the `mqdiag logs` table report that its glance and its --details view share. */

/** Clients listed in a cell before the rest become "+N" (the cell shortens the list further to fit). */
const SHOWN_CLIENTS = 50;
const SHOWN_UNPARSED = 20;

export const logTime = (t: Parameters<typeof formatLogTime>[0]) => formatLogTime(t)?.replace("T", " ") ?? "-";

export const NO_INCIDENTS = "No incidents: no broker line of the catalogue in this log.";

/** The incident kinds, the most frequent first. */
export const kindsByCount = (summary: LogSummary): KindSummary[] =>
  [...summary.incidents.values()].sort((a, b) => b.count - a.count);

/** The heading (files, dialect, lines) and a warning line per file read only in part. */
export function headingLines(summary: LogSummary, width: number): string[] {
  const files = summary.files.map((f) => f.path).join(", ");
  const dialect = summaryDialect(summary);
  const origin = SOURCE_DIALECTS.some((d) => d === dialect)
    ? " (line formats from the broker's source, not run)"
    : "";
  const out = wrap(
    `mqdiag logs ${files} · ${dialect}${origin} · ${summary.lines} lines`,
    width,
    "",
    "  ",
  ).map((l) => chalk.bold(l));
  for (const f of summary.files) if (f.warning) out.push(chalk.yellow(`${f.path}: ${f.warning}`));
  return out;
}

/** A client list cell: "a, b +12", with "…" when the incident's client set was capped. */
function clientsCell(names: readonly string[], truncated: boolean, max: number): string {
  if (!truncated) return shortList(names, max);
  return `${shortList(names, max - 1)}…`;
}

/**
 * One row per incident kind: count, first and last time, the clients named, notes. `compact` (the glance): times
 * to the second and no rules between rows that fit one line.
 */
export function incidentsTable(kinds: readonly KindSummary[], width: number, compact = false): string {
  const time = compact ? (t: LogTime | null) => logTime(t).replace(/\.\d+/, "") : logTime;
  const rows = kinds.map((k) => {
    const clients = [...k.clients].slice(0, SHOWN_CLIENTS);
    const more = k.clients.size - clients.length;
    const notes = [
      k.guessed ? `${k.guessed} grouped by guess` : "",
      k.incomplete ? `${k.incomplete} incomplete` : "",
    ].filter(Boolean);
    return [
      k.kind,
      String(k.count),
      time(k.first),
      time(k.last),
      clients.join(", "),
      notes.join("; "),
      more > 0 || k.clientsTruncated ? "truncated" : "",
    ];
  });
  const truncated = new Set(rows.filter((r) => r[6] !== "").map((r) => r[4]));
  return fitTable(
    ["incident", "count", "first", "last", "clients", "notes"],
    rows.map((r) => r.slice(0, 6)),
    [
      {},
      {},
      { min: 10 },
      { min: 10 },
      {
        min: 12,
        shorten: (text, w) => (text === "" ? "" : clientsCell(text.split(", "), truncated.has(text), w)),
      },
      { min: 8, optional: true },
    ],
    width,
    { compact },
  );
}

/** How many lines are in no known format, and the first of them. */
export function unparsedLines(summary: LogSummary, width: number): string[] {
  if (summary.unparsedCount === 0) return [];
  const shown = summary.unparsed.slice(0, SHOWN_UNPARSED).join(", ");
  const rest = summary.unparsedCount > SHOWN_UNPARSED ? `, … (${summary.unparsedCount} in all)` : "";
  return [
    "",
    ...wrap(`${summary.unparsedCount} line(s) in no known log format: ${shown}${rest}`, width, "", "  ").map(
      (l) => chalk.yellow(l),
    ),
  ];
}

/** The note on incidents grouped by guess, when there are any. */
export function guessedLines(kinds: readonly KindSummary[], width: number): string[] {
  if (!kinds.some((k) => k.guessed > 0)) return [];
  return wrap(
    "Grouped by guess: a line could belong to incidents of different kinds (other threads, same time), or an rv line had no cause line before it.",
    proseWidth(width),
  ).map((l) => chalk.gray(l));
}

/** A kind's advice block: its title, what it means, the broker's fixes, where to read more. */
export function adviceBlock(kind: IncidentKind, broker: KnownBroker | undefined, width: number): string[] {
  const e = kindExplanation(kind);
  return [
    "",
    ...wrap(`${kind}: ${e.title}`, proseWidth(width)).map((l) => chalk.bold(l)),
    ...adviceLines(e, broker, width),
  ];
}
