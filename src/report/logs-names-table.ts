import chalk from "chalk";
import { secondsOrNull } from "../core/seconds.js";
import type { KickCheck } from "../logs/kick-window.js";
import { reasonCodeText } from "../logs/pipe-close.js";
import type { LogSummary } from "../logs/summary.js";
import { formatLogTime } from "../logs/timestamp.js";
import { fitTable } from "./fit-table.js";
import { namingNotes } from "./logs-names.js";
import { proseWidth, wrap } from "./width.js";

/** Named incidents shown in the table (JSON lists up to 1000). */
const SHOWN_NAMED = 20;
const SHOWN_EARLY = 5;

const time = (t: Parameters<typeof formatLogTime>[0]) => formatLogTime(t)?.replace("T", " ") ?? "-";

function earlyLine(c: KickCheck): string {
  const ka = c.keepaliveS === null ? "keepalive not in the log: 1 s taken" : `keepalive ${c.keepaliveS} s`;
  return `${c.clientId} kicked ${secondsOrNull(c.afterMs)} s after its CONNECT (${time(c.connectedAt)}), the model's earliest ${secondsOrNull(c.earliestMs)} s (${ka})`;
}

/** The one line on how to have a NanoMQ log's clients named, when it names none. */
export function namingNoteLines(summary: LogSummary, width: number): string[] {
  return namingNotes(summary).flatMap((note) => wrap(note.text, proseWidth(width)).map((l) => chalk.gray(l)));
}

/**
 * The `mqdiag logs` table's part on named clients: for a NanoMQ log with `pipe close!` lines, who each incident was
 * (client, IP, reason code) and the kicks against the model of the log's own settings; for one without, the one
 * line on how to get names.
 */
export function namesTable(summary: LogSummary, width: number): string[] {
  const prose = proseWidth(width);
  const out: string[] = namingNoteLines(summary, width);
  if (summary.namedCount > 0) {
    const total = [...summary.incidents.values()].reduce((n, k) => n + k.count, 0);
    const rows = summary.named
      .slice(0, SHOWN_NAMED)
      .map((i) => [
        i.closed?.clientId ?? "",
        i.closed?.ip ?? "",
        i.kind,
        i.closed ? reasonCodeText(i.closed.reasonCode) : "",
        time(i.first),
      ]);
    out.push(
      "",
      chalk.bold(`Clients named by NanoMQ's pipe close! lines: ${summary.namedCount} of ${total} incidents`),
      fitTable(
        ["client", "ip", "incident", "reason", "time"],
        rows,
        [{ min: 12 }, { min: 7 }, {}, {}, { min: 10 }],
        width,
      ),
    );
    if (summary.namedCount > rows.length)
      out.push(chalk.gray(`… ${summary.namedCount - rows.length} more (--format json lists them)`));
  }
  if (summary.pipeCloses.size > 0) {
    const codes = [...summary.pipeCloses]
      .sort(([a], [b]) => a - b)
      .map(([code, c]) => `${reasonCodeText(code)} ${c.count}${c.named > 0 ? ` (${c.named} named)` : ""}`);
    out.push(
      ...wrap(
        `pipe close! lines by reason code: ${codes.join(", ")} (mqdiag explain pipe-close)`,
        prose,
        "",
        "  ",
      ),
    );
  }
  return [...out, ...settingsLines(summary, width)];
}

/**
 * NanoMQ's own settings, read from the log's start-up block, and the named kicks checked against its model: how
 * many, and each kick that came sooner than the model allows (the first few).
 */
export function settingsLines(summary: LogSummary, width: number): string[] {
  const s = summary.settings;
  if (!s) return [];
  const prose = proseWidth(width);
  const k = summary.kickChecks;
  const head = `NanoMQ's own settings (start-up block, ${s.file} line ${s.line}): retry_interval ${secondsOrNull(s.retryIntervalMs)} s, keepalive_multiplier ${s.keepaliveMultiplier}.`;
  const checked =
    k.checked === 0
      ? ""
      : k.earlyCount === 0
        ? ` Named kicks against its keepalive model: ${k.checked} checked, none sooner after its CONNECT than the model allows.`
        : ` Named kicks against its keepalive model: ${k.checked} checked, ${k.earlyCount} sooner after the CONNECT than the model allows (a fast timer, or settings other than these):`;
  const unchecked =
    k.unchecked > 0 ? ` ${k.unchecked} not checked (the client's CONNECT is not in the log).` : "";
  const out = ["", ...wrap(`${head}${checked}${unchecked}`, prose)];
  for (const c of k.early.slice(0, SHOWN_EARLY)) out.push(...wrap(earlyLine(c), prose, "  - ", "    "));
  if (k.earlyCount > SHOWN_EARLY) out.push(`  … ${k.earlyCount - SHOWN_EARLY} more (--format json)`);
  return out;
}
