import chalk from "chalk";
import { summaryDialect } from "../logs/classify.js";
import type { Incident } from "../logs/incident.js";
import type { LogSummary } from "../logs/summary.js";
import { formatLogTime } from "../logs/timestamp.js";
import { kindExplanation } from "../signatures/incident-kinds.js";
import { adviceLines } from "./logs-advice.js";
import { incidentChart } from "./logs-chart.js";
import { reportTable } from "./table.js";

const SHOWN_CLIENTS = 4;
const SHOWN_UNPARSED = 20;

const time = (t: Parameters<typeof formatLogTime>[0]) => formatLogTime(t)?.replace("T", " ") ?? "-";

/** The default `mqdiag logs` report: incidents, signatures, a per-minute chart, unparsed lines, advice. */
export function logsTable(summary: LogSummary): string {
  const files = summary.files.map((f) => f.path).join(", ");
  const out = [chalk.bold(`mqdiag logs ${files} · ${summaryDialect(summary)} · ${summary.lines} lines`)];
  for (const f of summary.files) if (f.warning) out.push(chalk.yellow(`${f.path}: ${f.warning}`));
  const kinds = [...summary.incidents.values()].sort((a, b) => b.count - a.count);
  if (kinds.length === 0) out.push("", "No incidents: no broker line of the catalogue in this log.");
  else {
    const t = reportTable(["incident", "count", "first", "last", "clients", "notes"]);
    for (const k of kinds) {
      const clients = [...k.clients];
      const more = clients.length - SHOWN_CLIENTS;
      const notes = [
        k.guessed ? `${k.guessed} grouped by guess` : "",
        k.incomplete ? `${k.incomplete} incomplete` : "",
      ].filter(Boolean);
      t.push([
        k.kind,
        k.count,
        time(k.first),
        time(k.last),
        clients.slice(0, SHOWN_CLIENTS).join(", ") +
          (more > 0 || k.clientsTruncated ? ` +${Math.max(more, 0)}…` : ""),
        notes.join("; "),
      ]);
    }
    out.push("", chalk.bold("Incidents"), t.toString());
  }
  if (summary.signatures.size > 0) {
    const t = reportTable(["signature", "lines", "first", "last"]);
    const sigs = [...summary.signatures].sort(([, a], [, b]) => b.count - a.count);
    for (const [id, s] of sigs) t.push([id, s.count, time(s.first), time(s.last)]);
    out.push("", chalk.bold("Signatures"), t.toString());
  }
  if (summary.known.size > 0) {
    const known = [...summary.known].sort(([, a], [, b]) => b.count - a.count);
    out.push(
      "",
      `Known lines, no incident: ${known.map(([id, k]) => `${id} ${k.count}`).join(", ")} (mqdiag explain <id>)`,
    );
  }
  if (kinds.length > 0 && summary.files.some((f) => f.dialect === "nanomq"))
    out.push(
      chalk.gray(
        "NanoMQ's lines do not say which client an incident was (its `<id> offline!` lines interleave across threads and also follow clean DISCONNECTs): its incidents are left unnamed.",
      ),
    );
  const chart = incidentChart(kinds);
  if (chart.length > 0) out.push("", chalk.bold("Incidents per minute"), ...chart);
  if (summary.unparsedCount > 0) {
    const shown = summary.unparsed.slice(0, SHOWN_UNPARSED).join(", ");
    const rest = summary.unparsedCount > SHOWN_UNPARSED ? `, … (${summary.unparsedCount} in all)` : "";
    out.push("", chalk.yellow(`${summary.unparsedCount} line(s) in no known log format: ${shown}${rest}`));
  }
  const guessed = kinds.some((k) => k.guessed > 0);
  if (guessed)
    out.push(
      chalk.gray(
        "Grouped by guess: a line could belong to incidents of different kinds (other threads, same time), or an rv line had no cause line before it.",
      ),
    );
  for (const k of kinds) {
    if (k.kind === "clean-disconnect") continue;
    const e = kindExplanation(k.kind);
    out.push("", chalk.bold(`${k.kind}: ${e.title}`), ...adviceLines(e));
  }
  return `${out.join("\n")}\n`;
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
  return `${time(incident.first)} ${chalk.bold(incident.kind)}${who} (${lines}${notes.length ? `; ${notes.join("; ")}` : ""})`;
}
