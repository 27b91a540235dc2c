import chalk from "chalk";
import type { Severity } from "../config/config-finding.js";
import type { ConfigReport, KeepaliveRow } from "../config/config-report.js";
import type { ConfSetting } from "../config/nanomq-conf.js";
import { configFindingMessage, humanMs } from "./config-messages.js";
import { reportTable } from "./table.js";

const PAINT: Record<Severity, (s: string) => string> = {
  error: chalk.red,
  warning: chalk.yellow,
  info: chalk.cyan,
};

function source(s: ConfSetting): string {
  return s.source === "file" ? `${s.key} = ${s.raw} (line ${s.line})` : chalk.gray("not set: NanoMQ default");
}

function windowText(r: KeepaliveRow): string {
  const w = r.kickAfterLastPacket;
  if (!w) return "never";
  const [min, max] = [humanMs(w.minMs), humanMs(w.maxMs)];
  // In hours a 10-s window rounds to one number: say it once.
  return min === max ? `≈ ${min}` : `${min} – ${max}`;
}

/** The default `mqdiag config` report: effective settings, the kick table, findings. */
export function configTable(report: ConfigReport): string {
  const how =
    report.format === "flat"
      ? `flat format (NanoMQ reads it with --old_conf${report.formatSource === "forced" ? "; forced by --old-conf" : ""})`
      : "HOCON format (nanomq start --conf)";
  const out = [chalk.bold(`mqdiag config ${report.file} · ${how}`)];
  const settings = reportTable(["setting", "effective", "from"]);
  settings.push(
    ["retry interval (Q)", humanMs(report.retryInterval.value), source(report.retryInterval)],
    [
      "keepalive multiplier (M)",
      String(report.keepaliveMultiplier.value),
      source(report.keepaliveMultiplier),
    ],
  );
  out.push(settings.toString(), "");
  const kicks = reportTable([
    "keepalive",
    "kick after last packet",
    "silent from CONNECT",
    "largest safe ping interval",
    "spec 1.5×",
  ]);
  for (const r of report.keepalives) {
    kicks.push([
      `${r.keepaliveS} s`,
      windowText(r),
      humanMs(r.kickAfterSilentConnectMs),
      humanMs(r.largestSafeIntervalMs),
      humanMs(r.specDeadlineMs),
    ]);
  }
  out.push(kicks.toString());
  if (report.findings.length) {
    out.push("", chalk.bold("Findings"));
    for (const f of report.findings)
      out.push(`- ${PAINT[f.severity](f.severity)} ${f.code}: ${configFindingMessage(f)}`);
  }
  return `${out.join("\n")}\n`;
}
