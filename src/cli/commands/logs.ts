import { type Command, Option } from "commander";
import { UsageError } from "../../core/errors.js";
import { classifyLogs } from "../../logs/classify.js";
import type { DialectChoice } from "../../logs/file-classifier.js";
import { followLog } from "../../logs/follow-log.js";
import type { Incident } from "../../logs/incident.js";
import type { LogSummary } from "../../logs/summary.js";
import { incidentJsonLine, logsJson } from "../../report/logs-json.js";
import { incidentLine, logsTable } from "../../report/logs-table.js";
import { INCIDENT_KINDS, type IncidentKind, isIncidentKind } from "../../signatures/incident-kinds.js";
import { type OutputOptions, outputOptions, withOutputOptions, writeReport } from "../output.js";

const EXAMPLES = `
Examples:
  mqdiag logs nanomq.log                         incidents, signatures, chart and advice
  mqdiag logs nanomq.log.1.gz nanomq.log         gzip is recognised by its bytes
  mqdiag logs /var/log/nanomq/nanomq.log*        a rotated series, read in the order of its content
  journalctl -u mosquitto -o cat | mqdiag logs -  read stdin
  mqdiag logs --follow /var/log/nanomq.log       the whole file, then incidents as they complete (Ctrl-C: summary)
  mqdiag logs --follow --from-end nanomq.log     only what is written from now on, like tail -n0 -F
  mqdiag logs nanomq.log --format json --fail-on keepalive-timeout,takeover

Incident kinds: ${INCIDENT_KINDS.join(", ")}.
Exit status: 0 the log was read · 1 a --fail-on kind was seen · 2 missing/unreadable file or bad option.`;

interface RawLogsOptions {
  dialect: DialectChoice;
  follow?: boolean;
  fromEnd?: boolean;
  failOn?: string;
  format?: string;
  output?: string;
  color?: boolean;
  verbose?: boolean;
}

/** `mqdiag logs <file...>`: classify broker logs into signatures and incidents (issue 5). */
export function registerLogs(program: Command): void {
  const cmd = program
    .command("logs")
    .description('classify broker logs into incidents, with causes and fixes ("-" = stdin)')
    .argument("<file...>", "log files (plain or gzip), or - for stdin")
    .addOption(
      new Option("--dialect <dialect>", "log dialect (auto: detected per file)")
        .choices(["auto", "nanomq", "mosquitto", "spec"])
        .default("auto"),
    )
    .option(
      "--follow",
      "read one file to its end, then keep tailing it (survives rotation), reporting incidents as they complete",
    )
    .option("--from-end", "with --follow: skip what the file already holds, classify only new lines")
    .option("--fail-on <kinds>", 'exit 1 if any of these incident kinds (comma list, or "any") is seen')
    .addHelpText("after", EXAMPLES);
  withOutputOptions(cmd, ["table", "json"]).action(async (files: string[], raw: RawLogsOptions) => {
    process.exitCode = await runLogs(files, raw);
  });
}

async function runLogs(files: string[], raw: RawLogsOptions): Promise<number> {
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
  await writeReport(render(summary, output), output);
  const seen = [...summary.incidents.keys()];
  return failOn && seen.some((k) => failOn === "any" || failOn.has(k)) ? 1 : 0;
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

function render(summary: LogSummary, output: OutputOptions): string {
  return output.format === "json" ? logsJson(summary) : logsTable(summary);
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
