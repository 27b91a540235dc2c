import type { LogJoin } from "../capture/broker-log-join.js";
import type { CaptureReport } from "../capture/capture-report.js";
import type { Endpoint } from "../capture/timeline.js";
import type { ConnectionVerdict } from "../capture/verdict-types.js";
import { round } from "../core/round.js";
import { seconds } from "../core/seconds.js";
import { BLIND_WORDS, evidenceWords } from "./capture-words.js";

/** ms since the epoch → ISO 8601 UTC with microseconds (captures carry µs or ns; Date keeps ms). */
export function isoMicros(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.round((ms - whole) * 1000);
  const base = new Date(whole).toISOString(); // …SS.mmmZ
  return `${base.slice(0, -1)}${String(Math.min(micros, 999)).padStart(3, "0")}Z`;
}

export const endpoint = (e: Endpoint) =>
  e.addr.includes(":") ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;

/** `mqdiag capture --format json`: schema mqdiag.capture/v1 (docs/commands/capture.md). */
export function captureJson(report: CaptureReport): string {
  const r = report.read;
  const origin = r.firstMs ?? 0;
  return JSON.stringify(
    {
      schema: "mqdiag.capture/v1",
      file: r.name,
      format: r.format,
      packets: r.packets,
      firstTime: r.firstMs === null ? null : isoMicros(r.firstMs),
      lastTime: r.lastMs === null ? null : isoMicros(r.lastMs),
      model: {
        profile: report.model.profile,
        retryIntervalS: seconds(report.model.retryIntervalMs),
        keepaliveMultiplier: report.model.keepaliveMultiplier,
        source: report.modelSource,
      },
      otherConnections: r.otherConnections,
      unsupportedLinkTypes: r.unsupportedLinkTypes,
      brokerLog: report.brokerLog
        ? {
            files: report.brokerLog.files,
            incidents: report.brokerLog.incidents,
            joined: joinedCount(report),
          }
        : null,
      connections: report.connections.map((c) =>
        connectionJson(c, origin, report.brokerLog?.joins.get(c.timeline.id)),
      ),
    },
    null,
    2,
  );
}

function joinedCount(report: CaptureReport): number {
  let n = 0;
  for (const list of report.brokerLog?.joins.values() ?? []) n += list.length;
  return n;
}

function connectionJson({ timeline: t, verdict: v }: ConnectionVerdict, origin: number, joins?: LogJoin[]) {
  return {
    id: t.id,
    clientId: t.connect?.clientId ?? null,
    client: endpoint(t.client),
    broker: endpoint(t.broker),
    transport: t.transport,
    protocolVersion: t.connect?.protocolVersion ?? null,
    keepalive: t.connect?.keepaliveS ?? null,
    serverKeepAlive: t.connack?.serverKeepAliveS ?? null,
    start: isoMicros(t.first.timeMs),
    end: t.ended ? isoMicros(t.ended.timeMs) : null,
    ending: v.ending,
    cause: v.cause,
    inferred: v.inferred,
    kick: v.kick
      ? {
          timing: v.kick.timing,
          at: isoMicros(v.kick.atMs),
          earliest: v.kick.earliestMs === null ? null : isoMicros(v.kick.earliestMs),
          latest: v.kick.latestMs === null ? null : isoMicros(v.kick.latestMs),
        }
      : null,
    vantage: {
      point: v.vantage.vantage,
      rttMs: v.vantage.rttMs === null ? null : round(v.vantage.rttMs),
      cannotTell: BLIND_WORDS[v.blind],
    },
    packets: { client: t.counts.client, broker: t.counts.broker },
    brokerLog: (joins ?? []).map((j) => ({
      kind: j.kind,
      file: j.file,
      line: j.line,
      time: j.timeMs === null ? null : isoMicros(j.timeMs),
      by: j.by,
    })),
    evidence: v.evidence.map((e) => ({
      time: isoMicros(e.at.timeMs),
      sinceStartS: seconds(e.at.timeMs - origin),
      packet: e.at.packet,
      code: e.fact.kind,
      what: evidenceWords(e.fact),
    })),
  };
}
