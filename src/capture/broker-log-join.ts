import type { Incident } from "../logs/incident.js";
import type { IncidentKind } from "../signatures/incident-kinds.js";
import type { ConnectionVerdict, Ending } from "./verdict-types.js";

/** A broker-log incident joined to a connection of the capture. */
export interface LogJoin {
  kind: IncidentKind;
  file: string;
  line: number;
  /** The incident's time as a capture time (ms since the epoch), or null when its lines had none. */
  timeMs: number | null;
  /** `client-id`: the incident names this connection's client and its time fits (proof); `time`: its kind and time
   * fit this connection alone; `ambiguous`: its kind and time fit several connections, this one among them. */
  by: "client-id" | "time" | "ambiguous";
}

/** Which endings an incident kind can be the broker's record of. */
const ENDINGS_OF: Partial<Record<IncidentKind, readonly Ending[]>> = {
  "keepalive-timeout": ["kicked"],
  takeover: ["takeover"],
  "malformed-packet": ["malformed"],
  "protocol-error": ["malformed"],
  "rejected-publish": ["malformed", "kicked"],
  "peer-gone": ["client-closed", "client-reset"],
  "clean-disconnect": ["client-disconnect"],
  "broker-closed": ["kicked", "takeover", "malformed"],
  "recv-error": ["kicked", "client-closed", "client-reset", "takeover", "malformed"],
};

/** A log line stamped at second S was written in [S, S + 1); allow this much more either side for the two clocks. */
const SLACK_MS = 500;

/**
 * Joins broker-log incidents to the capture's connections: by client id where the incident names one (mosquitto's
 * lines, NanoMQ 0.25's `pipe close!` at info), else by kind and time (the connection's close within the log
 * line's second ± 0.5 s). `zoneOffsetMs` turns a log time written without a zone (NanoMQ writes local time) into
 * UTC. A pure function: the report and the CLI decide what to show.
 */
export function joinIncidents(
  connections: readonly ConnectionVerdict[],
  incidents: readonly Incident[],
  zoneOffsetMs: number,
): Map<number, LogJoin[]> {
  const joins = new Map<number, LogJoin[]>();
  for (const incident of incidents) {
    const endings = ENDINGS_OF[incident.kind];
    const first = incident.first;
    if (!endings || !first) continue;
    const startMs = first.zoned ? first.ms : first.ms + zoneOffsetMs;
    const fits = connections.filter(({ timeline: t, verdict: v }) => {
      const close = t.closes.length > 0 ? Math.min(...t.closes.map((c) => c.at.timeMs)) : null;
      return (
        close !== null &&
        endings.includes(v.ending) &&
        close >= startMs - SLACK_MS &&
        close < startMs + 1000 + SLACK_MS
      );
    });
    const named = fits.filter(
      (c) => c.timeline.connect && incident.clients.includes(c.timeline.connect.clientId),
    );
    const chosen = incident.clients.length > 0 ? named : fits;
    const by: LogJoin["by"] =
      incident.clients.length > 0 ? "client-id" : fits.length === 1 ? "time" : "ambiguous";
    for (const c of chosen) {
      const list = joins.get(c.timeline.id) ?? [];
      list.push({ kind: incident.kind, file: incident.file, line: incident.firstLine, timeMs: startMs, by });
      joins.set(c.timeline.id, list);
    }
  }
  return joins;
}

/** This machine's UTC offset at `ms` (NanoMQ's log is in the broker host's local time: run where it ran, or set TZ). */
export function localZoneOffsetMs(ms: number): number {
  return new Date(ms).getTimezoneOffset() * 60_000;
}
