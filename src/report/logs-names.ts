import { secondsOrNull } from "../core/seconds.js";
import type { Incident } from "../logs/incident.js";
import type { KickCheck } from "../logs/kick-window.js";
import { closeReason, reasonCodeText } from "../logs/pipe-close.js";
import type { LogSummary } from "../logs/summary.js";
import { formatLogTime } from "../logs/timestamp.js";

/** The one line a NanoMQ log without `pipe close!` lines gets: how to have its clients named. */
export const NAMES_AT_INFO_NOTE = {
  code: "nanomq-log-level-info",
  text: "NanoMQ names the client of every closed connection only at `log.level = info`, from 0.25 on (`<client-id> pipe close! pipe=<id> reason_code=0x8d ip=…`): this log has no such line, so its incidents are unnamed.",
} as const;

/** Notes on naming for this log: the info-level advice when a NanoMQ log with incidents names none. */
export function namingNotes(summary: LogSummary): { code: string; text: string }[] {
  const nanomq = summary.files.some((f) => f.dialect === "nanomq");
  if (!nanomq || summary.incidents.size === 0 || summary.pipeCloses.size > 0) return [];
  return [{ ...NAMES_AT_INFO_NOTE }];
}

export function kickCheckJson(c: KickCheck) {
  return {
    clientId: c.clientId,
    connectedAt: formatLogTime(c.connectedAt),
    kickedAt: formatLogTime(c.kickedAt),
    keepalive: c.keepaliveS,
    afterS: secondsOrNull(c.afterMs),
    earliestS: secondsOrNull(c.earliestMs),
    verdict: c.verdict,
  };
}

/** A named incident's client as JSON (null when no `pipe close!` line named it). */
export function namedClientJson(incident: Incident) {
  const c = incident.closed;
  if (!c) return null;
  return {
    id: c.clientId,
    ip: c.ip,
    reasonCode: reasonCodeText(c.reasonCode),
    pipeId: c.pipeId,
    cleanStart: c.cleanStart,
    line: c.line,
    window: incident.window ? kickCheckJson(incident.window) : null,
  };
}

/**
 * The naming part of `mqdiag logs --format json` (added to mqdiag.logs/v1): the start-up settings the log gave,
 * its `pipe close!` lines by reason code, the named incidents (the first 1000), the kicks checked against the
 * model, and the notes.
 */
export function namesJson(summary: LogSummary) {
  const s = summary.settings;
  return {
    settings: s
      ? {
          retryIntervalS: secondsOrNull(s.retryIntervalMs),
          keepaliveMultiplier: s.keepaliveMultiplier,
          file: s.file,
          line: s.line,
        }
      : null,
    pipeCloses: [...summary.pipeCloses]
      .sort(([a], [b]) => a - b)
      .map(([code, c]) => ({
        reasonCode: reasonCodeText(code),
        count: c.count,
        named: c.named,
        meaning: closeReason(code),
      })),
    named: summary.named.map((i) => ({
      kind: i.kind,
      file: i.file,
      first: formatLogTime(i.first),
      lines: [i.firstLine, i.lastLine],
      client: namedClientJson(i),
    })),
    namedCount: summary.namedCount,
    kickChecks: s
      ? {
          checked: summary.kickChecks.checked,
          unchecked: summary.kickChecks.unchecked,
          earlyCount: summary.kickChecks.earlyCount,
          early: summary.kickChecks.early.map(kickCheckJson),
        }
      : null,
    notes: namingNotes(summary),
  };
}
