import chalk from "chalk";
import type { ConfigReport, KeepaliveRow } from "../config/config-report.js";
import type { ConfSetting } from "../config/nanomq-conf.js";
import { findingLines } from "./config-findings-lines.js";
import { humanMs } from "./config-messages.js";
import { fitTable } from "./fit-table.js";
import { DEFAULT_WIDTH, fitLines, wrap } from "./width.js";

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

/** The default `mqdiag config` report: effective settings, the kick table, findings; at most `width` columns. */
export function configTable(report: ConfigReport, width = DEFAULT_WIDTH): string {
  const how =
    report.format === "flat"
      ? `flat format (NanoMQ reads it with --old_conf${report.formatSource === "forced" ? "; forced by --old-conf" : ""})`
      : "HOCON format (nanomq start --conf)";
  // the file on a line of its own when the whole title does not fit, so that how it was read stays in one piece
  const title = `mqdiag config ${report.file} · ${how}`;
  const out = (
    title.length <= width
      ? [title]
      : [...wrap(`mqdiag config ${report.file}`, width, "", "  "), ...wrap(how, width, "  ")]
  ).map((l) => chalk.bold(l));
  const settings = fitTable(
    ["setting", "effective", "from"],
    [
      ["retry interval (Q)", humanMs(report.retryInterval.value), source(report.retryInterval)],
      [
        "keepalive multiplier (M)",
        String(report.keepaliveMultiplier.value),
        source(report.keepaliveMultiplier),
      ],
    ],
    [{ min: 12 }, { min: 9 }, { min: 16 }],
    width,
  );
  out.push(settings, "");
  const kicks = fitTable(
    ["keepalive", "kick after last packet", "silent from CONNECT", "largest safe ping interval", "spec 1.5×"],
    report.keepalives.map((r) => [
      `${r.keepaliveS} s`,
      windowText(r),
      humanMs(r.kickAfterSilentConnectMs),
      humanMs(r.largestSafeIntervalMs),
      humanMs(r.specDeadlineMs),
    ]),
    [{ min: 9 }, { min: 12 }, { min: 9 }, { min: 9 }, { min: 9 }],
    width,
  );
  out.push(kicks);
  out.push(...findingLines(report.findings, width));
  return `${fitLines(out.join("\n"), width)}\n`;
}
