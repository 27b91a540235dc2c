import type { TraceEvent } from "../broker/types.js";
import type { ClientRecord } from "../fleet/types.js";
import { MQTTJS_RESCHEDULING_PACKETS } from "../keepalive/clients/mqttjs.js";
import type { LinkEvent } from "../link/types.js";
import type { OldConnectionEnd, RaceEvent, RaceSeen } from "./network-outcome.js";
import type { ObservedSignature } from "./types.js";

/** What one race client left behind: its record, its link's events, and the broker's side. */
export interface RaceEvidence {
  record: ClientRecord;
  linkEvents: readonly LinkEvent[];
  /** The embedded broker's trace (empty for an external broker). */
  trace: readonly TraceEvent[];
  /** The scenario's lines so far. */
  signatures: readonly ObservedSignature[];
  external: boolean;
  brokerObserved: boolean;
}

/** When the fault began to bite: the stall's start, else the first packet the link dropped. */
export function faultAt(linkEvents: readonly LinkEvent[]): number | null {
  const e = linkEvents.find((x) => (x.kind === "stall-start" && x.conn === 0) || x.kind === "dropped");
  return e?.at ?? null;
}

/** The end of the first connection on the client's side: its own timeout, else its close. */
function firstConnectionEnd(r: ClientRecord): number {
  return r.clientTimeoutAt ?? r.closedAt ?? Number.POSITIVE_INFINITY;
}

/** MQTT.js's last keepalive reschedule before it gave up (or before now, when it has not). */
export function lastReschedule(r: ClientRecord): number | null {
  const end = firstConnectionEnd(r);
  const ins = r.events.filter(
    (e) => e.dir === "in" && MQTTJS_RESCHEDULING_PACKETS.has(e.packet) && e.at <= end,
  );
  return ins.at(-1)?.at ?? r.connectedAt;
}

/** The broker's view of the first connection: its CONNECT and the packets it received before `until`. */
export function brokerInbound(ev: RaceEvidence, until: number): { connectAt: number; inboundAt: number[] } {
  const id = ev.record.clientId;
  if (!ev.external) {
    const connect = ev.trace.find((e) => e.type === "connect" && e.clientId === id);
    const connectAt = connect?.at ?? ev.record.connectedAt ?? 0;
    const inboundAt = ev.trace
      // a DISCONNECT ends the connection rather than keeping it alive (Paho C's at its give-up)
      .filter(
        (e) =>
          e.type === "packet-in" &&
          e.packet !== "disconnect" &&
          e.clientId === id &&
          e.at > connectAt &&
          e.at < until,
      )
      .map((e) => e.at);
    return { connectAt, inboundAt };
  }
  // External: what the client sent before the link stopped carrying it (loopback: it arrives at once).
  const outs = ev.record.events.filter((e) => e.dir === "out" && e.at < until);
  const connect = outs.find((e) => e.packet === "connect");
  const connectAt = connect?.at ?? ev.record.connectedAt ?? 0;
  return { connectAt, inboundAt: outs.filter((e) => e.at > connectAt).map((e) => e.at) };
}

const mine = (ev: RaceEvidence, g: ObservedSignature) =>
  g.clientId === null || g.clientId === ev.record.clientId;

/** A broker line that ends the first connection, and how. */
function endLines(ev: RaceEvidence, from: number): { at: number; end: OldConnectionEnd }[] {
  const lines = ev.signatures.filter((g) => mine(ev, g) && g.at >= from);
  const out: { at: number; end: OldConnectionEnd }[] = [];
  const kick = lines.find((g) => g.id === "keepalive-timeout");
  if (kick) out.push({ at: kick.at, end: "keepalive" });
  const takeover = lines.find((g) => g.id === "takeover");
  if (takeover) out.push({ at: takeover.at, end: "takeover" });
  // NanoMQ 0.21.9 prints no collision line: an `Object closed` without a kick before it is the takeover.
  const objectClosed = lines.find((g) => g.id === "recv-error" && g.detail.reason === "Object closed");
  if (!takeover && objectClosed && !(kick && kick.at <= objectClosed.at))
    out.push({ at: objectClosed.at, end: "takeover" });
  const gone = lines.find(
    (g) => (g.id === "recv-error" && g.detail.reason === "Connection shutdown") || g.id === "peer-closed",
  );
  if (gone) out.push({ at: gone.at, end: "peer-closed" });
  // mosquitto's `Client … disconnected.` (NanoMQ prints no line for a clean DISCONNECT)
  const bye = lines.find((g) => g.id === "client-disconnect");
  if (bye) out.push({ at: bye.at, end: "disconnect" });
  return out.sort((a, b) => a.at - b.at);
}

/** How the broker's side of the first connection ended, and when the broker kicked (if it did). */
function brokerSide(
  ev: RaceEvidence,
  from: number,
): { kickedAt: number | null; ended: { at: number; end: OldConnectionEnd } | null } {
  const id = ev.record.clientId;
  if (!ev.external) {
    const kick = ev.trace.find((e) => e.type === "kick" && e.clientId === id);
    const close = ev.trace.find(
      (e): e is Extract<TraceEvent, { type: "close" }> => e.type === "close" && e.clientId === id,
    );
    const cause: Record<string, OldConnectionEnd> = {
      keepalive: "keepalive",
      takeover: "takeover",
      "peer-closed": "peer-closed",
      "peer-reset": "peer-closed",
      disconnect: "disconnect",
    };
    const end = close ? cause[close.cause] : undefined;
    return { kickedAt: kick?.at ?? null, ended: close && end ? { at: close.at, end } : null };
  }
  if (!ev.brokerObserved) return { kickedAt: null, ended: null };
  const ends = endLines(ev, from);
  return { kickedAt: ends.find((e) => e.end === "keepalive")?.at ?? null, ended: ends[0] ?? null };
}

/**
 * When the client gave up on its FIRST connection: its own timeout before any reconnect (a reconnected session
 * that later times out too is not the race's).
 */
export function firstGiveUp(r: ClientRecord): number | null {
  const t = r.clientTimeoutAt;
  const again = r.reconnectedAt[0];
  return t !== null && (again === undefined || t <= again) ? t : null;
}

/** What happened in the race, from the evidence. `from`: the fault's start (lines before it are not the race's). */
export function seenRace(ev: RaceEvidence, from: number): RaceSeen {
  const r = ev.record;
  const broker = brokerSide(ev, from);
  const gaveUp = firstGiveUp(r);
  let first: RaceSeen["first"] = null;
  if (gaveUp !== null && broker.kickedAt !== null) first = broker.kickedAt < gaveUp ? "broker" : "client";
  else if (broker.kickedAt !== null) first = "broker";
  else if (gaveUp !== null && ev.brokerObserved) first = "client";
  return {
    clientGaveUpAt: gaveUp,
    brokerKickedAt: broker.kickedAt,
    reconnectedAt: [...r.reconnectedAt],
    takeoverAt: broker.ended?.end === "takeover" ? broker.ended.at : null,
    first,
    oldConnectionEndedBy: broker.ended?.end ?? (ev.brokerObserved ? "open" : null),
  };
}

/** Whether the broker's side of the first connection has ended (or cannot be observed). */
export function brokerSettled(ev: RaceEvidence, from: number): boolean {
  if (!ev.brokerObserved) return true;
  return brokerSide(ev, from).ended !== null;
}

/** Both sides on one timeline: the client's packets up to its first reconnect, the link's fault, the broker's end. */
export function raceTimeline(ev: RaceEvidence, seen: RaceSeen, fault: number | null): RaceEvent[] {
  const r = ev.record;
  const until = r.reconnectedAt[0] ?? Number.POSITIVE_INFINITY;
  const out: RaceEvent[] = [];
  if (r.connectedAt !== null) out.push({ at: r.connectedAt, side: "client", what: "connected" });
  for (const e of r.events) {
    if (e.at >= until) break;
    if (e.packet === "pingreq" && e.dir === "out") out.push({ at: e.at, side: "client", what: "pingreq" });
    if (e.packet === "pingresp" && e.dir === "in") out.push({ at: e.at, side: "client", what: "pingresp" });
  }
  if (fault !== null) out.push({ at: fault, side: "link", what: "fault" });
  if (seen.clientGaveUpAt !== null)
    out.push({ at: seen.clientGaveUpAt, side: "client", what: "client-gave-up" });
  for (const at of seen.reconnectedAt.slice(0, 1)) out.push({ at, side: "client", what: "reconnected" });
  if (seen.brokerKickedAt !== null)
    out.push({ at: seen.brokerKickedAt, side: "broker", what: "broker-kicked" });
  if (seen.takeoverAt !== null) out.push({ at: seen.takeoverAt, side: "broker", what: "takeover" });
  const closed = brokerSide(ev, fault ?? 0).ended;
  if (closed?.end === "peer-closed" || closed?.end === "disconnect")
    out.push({ at: closed.at, side: "broker", what: closed.end });
  return out.sort((a, b) => a.at - b.at);
}
