import chalk from "chalk";
import type { CaptureReport } from "../capture/capture-report.js";
import { isFinding } from "../capture/capture-report.js";
import type { ConnectionVerdict } from "../capture/verdict-types.js";
import { fixedSeconds, formatSeconds } from "../core/seconds.js";
import { endpoint } from "./capture-json.js";
import {
  BLIND_WORDS,
  CAUSE_WORDS,
  ENDING_WORDS,
  evidenceWords,
  KICK_WORDS,
  VANTAGE_WORDS,
} from "./capture-words.js";
import { reportTable } from "./table.js";
import { DEFAULT_WIDTH, wrap } from "./width.js";

const JOIN_WORDS = {
  "client-id": "client id and time",
  time: "kind and time: the only connection that fits",
  ambiguous: "kind and time: one of several connections that fit",
} as const;

/** The default `mqdiag capture` report: one row per connection, then the evidence of every finding. */
export function captureTable(report: CaptureReport, width = DEFAULT_WIDTH): string {
  const r = report.read;
  const origin = r.firstMs ?? 0;
  const m = report.model;
  const model =
    m.profile === "nanomq" ? `nanomq Q ${m.retryIntervalMs / 1000} s, M ${m.keepaliveMultiplier}` : m.profile;
  const out = wrap(
    `mqdiag capture ${r.name} · ${r.format} · ${r.packets} packets · ${report.connections.length} MQTT connections · model ${model}`,
    width,
    "",
    "  ",
  ).map((l) => chalk.bold(l));
  if (r.unsupportedLinkTypes.length > 0)
    out.push(chalk.yellow(`link types not read (frames skipped): ${r.unsupportedLinkTypes.join(", ")}`));
  if (report.connections.length === 0) {
    out.push("", `No MQTT connection in this capture (${r.otherConnections} other TCP connections).`);
    return out.join("\n");
  }
  const table = reportTable([
    "#",
    "client id",
    "client",
    "KA",
    "start s",
    "end s",
    "ending",
    "cause",
    "kick",
  ]);
  for (const c of report.connections) table.push(row(c, origin));
  out.push("", table.toString());
  out.push(
    "",
    "Times are seconds since the capture's first packet; packet numbers are the file's (as Wireshark's).",
  );
  const joins = report.brokerLog?.joins;
  for (const c of report.connections) {
    if (!isFinding(c.verdict) && c.verdict.cause !== "undecidable" && !joins?.has(c.timeline.id)) continue;
    out.push("", ...details(c, origin, width));
    for (const j of joins?.get(c.timeline.id) ?? [])
      out.push(`  broker log: ${j.kind} at ${j.file}:${j.line} (joined by ${JOIN_WORDS[j.by]})`);
  }
  if (report.brokerLog)
    out.push(
      "",
      `Broker log: ${report.brokerLog.incidents} incidents within a minute of the capture; ${joins?.size ?? 0} connections joined.`,
    );
  return out.join("\n");
}

function row({ timeline: t, verdict: v }: ConnectionVerdict, origin: number): string[] {
  const flag = isFinding(v) ? chalk.red : (x: string) => x;
  return [
    String(t.id),
    t.connect?.clientId ?? "-",
    endpoint(t.client),
    t.connack?.serverKeepAliveS !== undefined
      ? `${t.connack.serverKeepAliveS} (server)`
      : t.connect
        ? String(t.connect.keepaliveS)
        : "?",
    fixedSeconds(t.first.timeMs - origin, 3),
    t.ended ? fixedSeconds(t.ended.timeMs - origin, 3) : "open",
    flag(v.ending),
    flag(v.inferred ? `${v.cause} (inferred)` : v.cause),
    v.kick ? v.kick.timing : "",
  ];
}

function details({ timeline: t, verdict: v }: ConnectionVerdict, origin: number, width: number): string[] {
  const head = `#${t.id} ${t.connect?.clientId ?? "(no CONNECT)"}: ${ENDING_WORDS[v.ending]}; ${CAUSE_WORDS[v.cause]}`;
  const lines = wrap(head, width, "", "  ").map((l) => chalk.bold(l));
  if (v.kick) lines.push(`  kick: ${KICK_WORDS[v.kick.timing]}`);
  const rtt = v.vantage.rttMs === null ? "" : `, RTT ${v.vantage.rttMs.toFixed(3)} ms`;
  lines.push(
    ...wrap(
      `vantage: ${VANTAGE_WORDS[v.vantage.vantage]}${rtt}; ${BLIND_WORDS[v.blind]}`,
      width,
      "  ",
      "    ",
    ),
  );
  for (const e of v.evidence)
    lines.push(
      ...wrap(
        `${formatSeconds(e.at.timeMs - origin, 3)}  #${e.at.packet}  ${evidenceWords(e.fact)}`,
        width,
        "  ",
        "      ",
      ),
    );
  return lines;
}
