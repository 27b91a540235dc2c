import { UsageError } from "../../core/errors.js";
import { classifyLogs } from "../../logs/classify.js";
import type { DialectChoice } from "../../logs/file-classifier.js";
import { followLog } from "../../logs/follow-log.js";
import type { Incident } from "../../logs/incident.js";
import type { LogSummary } from "../../logs/summary.js";
import { incidentJsonLine, logsJson } from "../../report/logs-json.js";
import { incidentLine, type LogsView, logsTable } from "../../report/logs-table.js";
import { INCIDENT_KINDS, type IncidentKind, isIncidentKind } from "../../signatures/incident-kinds.js";
import { type OutputOptions, outputOptions, reportColumns, writeReport } from "../output.js";
import type { RawLogsOptions } from "./logs.js";

/** `mqdiag logs`'s action, imported only when that command runs. */
export async function runLogs(files: string[], raw: RawLogsOptions): Promise<number> {
  const output = outputOptions(raw, ["table", "json"]);
  const failOn = parseFailOn(raw.failOn);
  if (raw.follow && files.length !== 1) throw new UsageError("--follow takes exactly one file");
  if (raw.fromEnd && (!raw.follow || files[0] === "-"))
    throw new UsageError("--from-end needs --follow and a file (not stdin)");
  let summary: LogSummary;
  if (raw.follow) {
    const write = (incident: Incident) =>
      process.stdout.write(
        `${output.format === "json" ? incidentJsonLine(incident) : incidentLine(incident)}\n`,
      );
    summary = await follow(files[0] as string, raw.dialect, raw.fromEnd === true, write);
  } else {
    summary = await classifyLogs(files, { dialect: raw.dialect });
  }
  for (const f of summary.files)
    if (f.warning) process.stderr.write(`mqdiag: warning: ${f.path}: ${f.warning}\n`);
  const seen = [...summary.incidents.keys()];
  const failing = new Set(seen.filter((k) => failOn === "any" || failOn?.has(k)));
  await writeReport(render(summary, output, { details: raw.details === true, failing }), output);
  return failing.size > 0 ? 1 : 0;
}

async function follow(
  path: string,
  dialect: DialectChoice,
  fromEnd: boolean,
  write: (i: Incident) => void,
): Promise<LogSummary> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    if (path === "-")
      return await classifyLogs(["-"], { dialect, onIncident: write, signal: controller.signal });
    return await followLog(path, { dialect, fromEnd, signal: controller.signal, onIncident: write });
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

function render(summary: LogSummary, output: OutputOptions, view: LogsView): string {
  return output.format === "json" ? logsJson(summary) : logsTable(summary, reportColumns(output), view);
}

function parseFailOn(value: string | undefined): Set<IncidentKind> | "any" | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === "any") return "any";
  const kinds = value
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  const bad = kinds.find((k) => !isIncidentKind(k));
  if (bad !== undefined || kinds.length === 0)
    throw new UsageError(
      `--fail-on: unknown incident kind "${bad ?? value}" (kinds: ${INCIDENT_KINDS.join(", ")}, any)`,
    );
  return new Set(kinds as IncidentKind[]);
}
