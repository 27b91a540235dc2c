import chalk from "chalk";
import { summaryDialect } from "../logs/classify.js";
import type { Incident } from "../logs/incident.js";
import { reasonCodeText } from "../logs/pipe-close.js";
import type { LogSummary } from "../logs/summary.js";
import { formatLogTime } from "../logs/timestamp.js";
import { brokerOf } from "../signatures/explain-fixes.js";
import { kindExplanation } from "../signatures/incident-kinds.js";
import { SOURCE_DIALECTS } from "../signatures/source-dialects.js";
import { fitTable } from "./fit-table.js";
import { adviceLines } from "./logs-advice.js";
import { incidentChart } from "./logs-chart.js";
import { namesTable } from "./logs-names-table.js";
import { DEFAULT_WIDTH, fitLines, proseWidth, shortList, wrap } from "./width.js";

/** Clients listed in a cell before the rest become "+N" (the cell shortens the list further to fit). */
const SHOWN_CLIENTS = 50;
const SHOWN_UNPARSED = 20;

const time = (t: Parameters<typeof formatLogTime>[0]) => formatLogTime(t)?.replace("T", " ") ?? "-";

/** A client list cell: "a, b +12", with "…" when the incident's client set was capped. */
function clientsCell(names: readonly string[], truncated: boolean, max: number): string {
  if (!truncated) return shortList(names, max);
  return `${shortList(names, max - 1)}…`;
}

/**
 * The default `mqdiag logs` report: incidents, signatures, a per-minute chart, unparsed lines, advice for the
 * broker the log is from; every line at most `width` columns.
 */
export function logsTable(summary: LogSummary, width = DEFAULT_WIDTH): string {
  const files = summary.files.map((f) => f.path).join(", ");
  const dialect = summaryDialect(summary);
  const broker = brokerOf(dialect);
  const prose = proseWidth(width);
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
  const kinds = [...summary.incidents.values()].sort((a, b) => b.count - a.count);
  if (kinds.length === 0) out.push("", "No incidents: no broker line of the catalogue in this log.");
  else {
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
    const t = fitTable(
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
    );
    out.push("", chalk.bold("Incidents"), t);
  }
  if (summary.signatures.size > 0) {
    const sigs = [...summary.signatures].sort(([, a], [, b]) => b.count - a.count);
    const t = fitTable(
      ["signature", "lines", "first", "last"],
      sigs.map(([id, s]) => [id, String(s.count), time(s.first), time(s.last)]),
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
        prose,
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
  if (summary.unparsedCount > 0) {
    const shown = summary.unparsed.slice(0, SHOWN_UNPARSED).join(", ");
    const rest = summary.unparsedCount > SHOWN_UNPARSED ? `, … (${summary.unparsedCount} in all)` : "";
    out.push(
      "",
      ...wrap(
        `${summary.unparsedCount} line(s) in no known log format: ${shown}${rest}`,
        width,
        "",
        "  ",
      ).map((l) => chalk.yellow(l)),
    );
  }
  const guessed = kinds.some((k) => k.guessed > 0);
  if (guessed)
    out.push(
      ...wrap(
        "Grouped by guess: a line could belong to incidents of different kinds (other threads, same time), or an rv line had no cause line before it.",
        prose,
      ).map((l) => chalk.gray(l)),
    );
  for (const k of kinds) {
    if (k.kind === "clean-disconnect") continue;
    const e = kindExplanation(k.kind);
    out.push(
      "",
      ...wrap(`${k.kind}: ${e.title}`, prose).map((l) => chalk.bold(l)),
      ...adviceLines(e, broker, width),
    );
  }
  return `${fitLines(out.join("\n"), width)}\n`;
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
  return `${time(incident.first)} ${chalk.bold(incident.kind)}${who}${named} (${lines}${notes.length ? `; ${notes.join("; ")}` : ""})`;
}
