import { summaryDialect } from "../logs/classify.js";
import type { Incident } from "../logs/incident.js";
import type { LogSummary } from "../logs/summary.js";
import { formatLogTime } from "../logs/timestamp.js";
import { brokerOf } from "../signatures/explain-fixes.js";
import { kindExplanation } from "../signatures/incident-kinds.js";
import { adviceFixes } from "./logs-advice.js";
import { namedClientJson, namesJson } from "./logs-names.js";

/**
 * `mqdiag logs --format json`, schema mqdiag.logs/v1: files (in the order read: by content time), dialect, lines,
 * signatures [{id, count, first, last}], incidents [{kind, count, first, last, clients}], known [{id, count, first,
 * last}] (lines known as no incident), unparsed [line numbers], advice [{kind, broker, fixes: [{code, broker}]}] (the
fixes the table shows for each incident kind: the log's broker's own and those for any broker; `broker` null when
the log's broker is not known, then every broker's fixes, each tagged), then the naming part (logs-names.ts:
settings, pipeCloses, named, namedCount, kickChecks, notes). Times are ISO 8601 (no zone
 * when the log gave none); line numbers count across the files in the order given.
 */
export function logsJson(summary: LogSummary): string {
  const broker = brokerOf(summaryDialect(summary));
  const incidents = [...summary.incidents.values()].sort(
    (x, y) => y.count - x.count || x.kind.localeCompare(y.kind),
  );
  const report = {
    schema: "mqdiag.logs/v1",
    files: summary.files.map((f) => f.path),
    dialect: summaryDialect(summary),
    lines: summary.lines,
    signatures: [...summary.signatures]
      .sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b))
      .map(([id, s]) => ({ id, count: s.count, first: formatLogTime(s.first), last: formatLogTime(s.last) })),
    incidents: incidents.map((k) => ({
      kind: k.kind,
      count: k.count,
      first: formatLogTime(k.first),
      last: formatLogTime(k.last),
      clients: [...k.clients],
    })),
    known: [...summary.known]
      .sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b))
      .map(([id, k]) => ({ id, count: k.count, first: formatLogTime(k.first), last: formatLogTime(k.last) })),
    unparsed: summary.unparsed,
    advice: incidents
      .filter((k) => k.kind !== "clean-disconnect")
      .map((k) => ({
        kind: k.kind,
        broker: broker ?? null,
        fixes: adviceFixes(kindExplanation(k.kind), broker).map((f) => ({ code: f.code, broker: f.broker })),
      })),
    ...namesJson(summary),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** One incident as it completes under `--follow --format json`: one object a line (schema mqdiag.logs.incident/v1). */
export function incidentJsonLine(incident: Incident): string {
  return JSON.stringify({
    schema: "mqdiag.logs.incident/v1",
    kind: incident.kind,
    first: formatLogTime(incident.first),
    last: formatLogTime(incident.last),
    clients: incident.clients,
    lines: [incident.firstLine, incident.lastLine],
    signatures: incident.signatures,
    guessed: incident.guessed,
    complete: incident.complete,
    client: namedClientJson(incident),
  });
}
