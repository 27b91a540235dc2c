import type { IncidentKind } from "../signatures/incident-kinds.js";
import type { SignatureId } from "../signatures/types.js";
import type { Incident } from "./incident.js";
import type { KickCheck } from "./kick-window.js";
import type { NanomqSettings } from "./nanomq-settings.js";
import type { LogTime } from "./timestamp.js";

/** Bounds that keep a multi-GB log in constant memory. */
export const MAX_UNPARSED_LISTED = 1000;
export const MAX_CLIENTS_LISTED = 1000;
/** Named incidents and early kicks listed one by one (the counts go on). */
export const MAX_NAMED_LISTED = 1000;
const MAX_MINUTES = 100_000;

export interface SpanCount {
  count: number;
  first: LogTime | null;
  last: LogTime | null;
}

export interface KindSummary extends SpanCount {
  kind: IncidentKind;
  /** Distinct client ids, the first MAX_CLIENTS_LISTED of them (bounded memory). */
  clients: Set<string>;
  /** More clients were named than are listed. */
  clientsTruncated: boolean;
  guessed: number;
  incomplete: number;
  /** Incidents per minute (key: epoch minute of the log time). */
  perMinute: Map<number, number>;
}

export interface FileSummary {
  path: string;
  dialect: string;
  lines: number;
  /** Set when the file could only be read in part (a truncated gzip, a read error midway). */
  warning?: string;
}

/** Everything `mqdiag logs` reports; reporters in src/report turn it into words. */
export interface LogSummary {
  files: FileSummary[];
  lines: number;
  signatures: Map<SignatureId, SpanCount>;
  incidents: Map<IncidentKind, KindSummary>;
  /** Known lines that are no incident (src/signatures/known-lines.ts), by id. */
  known: Map<string, SpanCount>;
  unparsed: number[];
  unparsedCount: number;
  /** NanoMQ's `pipe close!` lines (0.25+, `info`) by reason code: how many, and how many named an incident. */
  pipeCloses: Map<number, { count: number; named: number }>;
  /** The incidents a `pipe close!` line named, the first MAX_NAMED_LISTED of them, in the order they completed. */
  named: Incident[];
  namedCount: number;
  /** NanoMQ's start-up settings block (`info`), the last one read, and where. */
  settings: (NanomqSettings & { file: string; line: number }) | null;
  /** Named kicks against NanoMQ's model (only once the settings are known). */
  kickChecks: { checked: number; early: KickCheck[]; earlyCount: number; unchecked: number };
}

export function emptySummary(): LogSummary {
  return {
    files: [],
    lines: 0,
    signatures: new Map(),
    incidents: new Map(),
    known: new Map(),
    unparsed: [],
    unparsedCount: 0,
    pipeCloses: new Map(),
    named: [],
    namedCount: 0,
    settings: null,
    kickChecks: { checked: 0, early: [], earlyCount: 0, unchecked: 0 },
  };
}

export function countPipeClose(summary: LogSummary, reasonCode: number, named: boolean): void {
  const c = summary.pipeCloses.get(reasonCode) ?? { count: 0, named: 0 };
  if (c.count === 0) summary.pipeCloses.set(reasonCode, c);
  c.count++;
  if (named) c.named++;
}

/** A named incident's name and, for a kick, its check against the model. */
function countNamed(summary: LogSummary, incident: Incident): void {
  if (!incident.closed) return;
  summary.namedCount++;
  if (summary.named.length < MAX_NAMED_LISTED) summary.named.push(incident);
  if (incident.kind !== "keepalive-timeout" || !summary.settings) return;
  const check = incident.window;
  if (!check) {
    summary.kickChecks.unchecked++;
    return;
  }
  summary.kickChecks.checked++;
  if (check.verdict !== "early") return;
  summary.kickChecks.earlyCount++;
  if (summary.kickChecks.early.length < MAX_NAMED_LISTED) summary.kickChecks.early.push(check);
}

function widen(span: SpanCount, first: LogTime | null, last: LogTime | null): void {
  span.count++;
  if (first && (!span.first || first.ms < span.first.ms)) span.first = first;
  if (last && (!span.last || last.ms > span.last.ms)) span.last = last;
}

export function countSignature(summary: LogSummary, id: SignatureId, time: LogTime | null): void {
  const span = summary.signatures.get(id) ?? { count: 0, first: null, last: null };
  if (span.count === 0) summary.signatures.set(id, span);
  widen(span, time, time);
}

export function countKnownLine(summary: LogSummary, id: string, time: LogTime | null): void {
  const span = summary.known.get(id) ?? { count: 0, first: null, last: null };
  if (span.count === 0) summary.known.set(id, span);
  widen(span, time, time);
}

export function countUnparsed(summary: LogSummary, line: number): void {
  summary.unparsedCount++;
  if (summary.unparsed.length < MAX_UNPARSED_LISTED) summary.unparsed.push(line);
}

export function countIncident(summary: LogSummary, incident: Incident): void {
  let k = summary.incidents.get(incident.kind);
  if (!k) {
    k = {
      kind: incident.kind,
      count: 0,
      first: null,
      last: null,
      clients: new Set(),
      clientsTruncated: false,
      guessed: 0,
      incomplete: 0,
      perMinute: new Map(),
    };
    summary.incidents.set(incident.kind, k);
  }
  widen(k, incident.first, incident.last);
  countNamed(summary, incident);
  if (incident.guessed) k.guessed++;
  if (!incident.complete) k.incomplete++;
  for (const c of incident.clients) {
    if (k.clients.has(c)) continue;
    if (k.clients.size < MAX_CLIENTS_LISTED) k.clients.add(c);
    else k.clientsTruncated = true;
  }
  if (incident.first) {
    const minute = Math.floor(incident.first.ms / 60_000);
    if (k.perMinute.has(minute) || k.perMinute.size < MAX_MINUTES) {
      k.perMinute.set(minute, (k.perMinute.get(minute) ?? 0) + 1);
    }
  }
}
