import type { Command } from "commander";
import type { DialectChoice } from "../../logs/file-classifier.js";
import { INCIDENT_KINDS } from "../../signatures/incident-kinds.js";
import { withOutputOptions } from "../output-options.js";

const EXAMPLES = `
Examples:
  mqdiag logs nanomq.log                         incidents per kind, the clients named, what each kind is
  mqdiag logs nanomq.log --details               also signatures, named clients, per-minute chart, fixes
  mqdiag logs nanomq.log.1.gz nanomq.log         gzip is recognised by its bytes
  mqdiag logs /var/log/nanomq/nanomq.log*        a rotated series, read in the order of its content
  journalctl -u mosquitto -o cat | mqdiag logs -  read stdin
  mqdiag logs --follow /var/log/nanomq.log       the whole file, then incidents as they complete (Ctrl-C: summary)
  mqdiag logs --follow --from-end nanomq.log     only what is written from now on, like tail -n0 -F
  mqdiag logs nanomq.log --format json --fail-on keepalive-timeout,takeover

Incident kinds: ${INCIDENT_KINDS.join(", ")}.
Exit status: 0 the log was read · 1 a --fail-on kind was seen · 2 missing/unreadable file or bad option.`;

export interface RawLogsOptions {
  dialect: DialectChoice;
  follow?: boolean;
  fromEnd?: boolean;
  failOn?: string;
  details?: boolean;
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
      program
        .createOption("--dialect <dialect>", "log dialect (auto: detected per file)")
        .choices(["auto", "nanomq", "mosquitto", "spec", "emqx", "hivemq", "vernemq", "ejabberd"])
        .default("auto"),
    )
    .option(
      "--follow",
      "read one file to its end, then keep tailing it (survives rotation), reporting incidents as they complete",
    )
    .option("--from-end", "with --follow: skip what the file already holds, classify only new lines")
    .option("--fail-on <kinds>", 'exit 1 if any of these incident kinds (comma list, or "any") is seen')
    .option(
      "--details",
      "table: every signature, named client, the per-minute chart and each kind's fixes (default: a glance)",
    )
    .addHelpText("after", EXAMPLES);
  withOutputOptions(cmd, ["table", "json"]).action(async (files: string[], raw: RawLogsOptions) => {
    const { runLogs } = await import("./logs-run.js");
    process.exitCode = await runLogs(files, raw);
  });
}
