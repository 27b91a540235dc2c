import type { KeepaliveParams } from "../keepalive/predict.js";
import { endingOf } from "./ending.js";
import { type KickReading, kickTimingOf } from "./kick-timing.js";
import { type LibraryRhythm, matchLibraries } from "./library-rhythm.js";
import type { PacketRef } from "./tcp-direction.js";
import type { CloseEvent, ConnectionTimeline } from "./timeline.js";
import { blindnessOf, vantageOf } from "./vantage.js";
import type { Cause, Evidence, EvidenceFact, UndecidableReason, Verdict } from "./verdict-types.js";

/** Timing slack on every comparison: scheduling on both hosts, plus two round trips (arrival times are inferred). */
const BASE_TOLERANCE_MS = 50;
/** A close this soon after a client packet, and early for keepalive, is the broker answering that packet. */
const ANSWER_WINDOW_MS = 500;
/**
 * How late a real broker's keepalive timer may fire on a loaded host: NanoMQ 0.25.3 kicked up to 1 s after its
 * tick model's instant on this 2-core machine under test load (test/integration/nanomq/capture-nanomq.test.ts).
 */
const BROKER_TIMERS_LATE_MS = 1000;
/** A client that closes this long after a PINGREQ still unanswered gave up waiting for it. */
const GAVE_UP_FRACTION_OF_KEEPALIVE = 0.25;
const GAVE_UP_WITHOUT_KEEPALIVE_MS = 1000;

export interface VerdictOptions {
  /** The broker's keepalive model (src/keepalive), from --profile, --config or the profile options. */
  model: KeepaliveParams;
  /** Client-library ping rhythms to name a client by, or a function of the connection's RTT giving them (none:
   * nothing is named). */
  rhythms?: readonly LibraryRhythm[] | ((rttMs: number) => readonly LibraryRhythm[]);
  /** The capture's last packet: a connection still open then, silent past the model's kick, is half-open. */
  captureEnd?: PacketRef;
}

/**
 * The verdict on one connection: a pure function of its timeline and the broker model. Every cause rests on
 * evidence the capture holds; where it holds too little, the cause is `undecidable` and says why.
 */
export function verdictOf(t: ConnectionTimeline, options: VerdictOptions): Verdict {
  const vantage = vantageOf(t);
  const toleranceMs = BASE_TOLERANCE_MS + 2 * (vantage.rttMs ?? 0);
  const evidence: Evidence[] = [];
  const add = (at: PacketRef, fact: EvidenceFact) => evidence.push({ at, fact });
  const keepaliveS = t.connack?.serverKeepAliveS ?? t.connect?.keepaliveS;
  const keepaliveMs = keepaliveS === undefined ? undefined : keepaliveS * 1000;
  if (t.connect) add(t.connect.at, { kind: "connect", ...pick(t.connect) });
  if (t.connack?.serverKeepAliveS !== undefined)
    add(t.connack.at, { kind: "server-keepalive", keepaliveS: t.connack.serverKeepAliveS });
  if (t.connack && t.connack.code !== 0) add(t.connack.at, { kind: "connack-refused", code: t.connack.code });
  if (t.tookOver !== undefined && t.connect)
    add(t.connect.at, { kind: "takes-over", ofConnection: t.tookOver });
  if (t.transport === "tls") add(t.first, { kind: "encrypted", records: t.counts.client["tls-record"] ?? 0 });
  if (t.longestClientGap && keepaliveMs !== undefined && keepaliveMs > 0) {
    const g = t.longestClientGap;
    const ms = g.to.timeMs - g.from.timeMs;
    if (ms > keepaliveMs + toleranceMs)
      add(g.to, { kind: "longest-gap", ms, keepaliveMs, fromPacket: g.from.packet });
  }
  const rhythms =
    typeof options.rhythms === "function" ? options.rhythms(vantage.rttMs ?? 0) : options.rhythms;
  const matches = keepaliveS === undefined ? [] : matchLibraries(t.pingGapsMs, keepaliveS, rhythms ?? []);
  if (matches.length > 0 && matches[0])
    add(t.lastPingreq ?? t.first, {
      kind: "library-rhythm",
      libraries: matches.map((m) => m.library),
      gapMs: matches[0].gapMs,
    });

  const reading = endingOf(t);
  const { close } = reading;
  let ending = reading.ending;
  if (close) add(close.at, { kind: "close", by: close.by, how: close.how, reasonCode: close.reasonCode });
  let cause: Cause = "none";
  let kick: Verdict["kick"];
  const undecidable = (at: PacketRef, reason: UndecidableReason): Cause => {
    add(at, { kind: "undecidable", reason });
    return "undecidable";
  };
  if (t.transport === "tls") {
    if (ending !== "open-at-end") cause = undecidable(close?.at ?? t.last, "tls");
    if (ending === "kicked" && close && t.lastClient) {
      // timing only: how long the client's encrypted records had stopped when the broker closed
      add(t.lastClient, { kind: "last-client-packet", packetName: "tls-record" });
      add(close.at, { kind: "silence", ms: close.at.timeMs - t.lastClient.timeMs, keepaliveMs: null });
    }
  } else if (ending === "takeover") {
    if (t.takenOverBy) add(t.takenOverBy.at, { kind: "taken-over", byConnection: t.takenOverBy.connection });
    const kickToo = close ? takeoverOrKick(t, close, keepaliveMs, options.model, toleranceMs) : undefined;
    if (kickToo && close) {
      // the keepalive kick was due when the takeover came: the two cannot be told apart
      ending = "unknown";
      kick = kickToo;
      addKickWindow(close, kickToo, toleranceMs, add);
      cause = undecidable(close.at, "kick-or-takeover");
    } else cause = "duplicate-client-id";
  } else if (ending === "malformed") {
    cause = "malformed";
    if (t.violation) add(t.violation.at, { kind: "violation", violation: t.violation.kind });
  } else if ((ending === "client-closed" || ending === "client-reset") && close) {
    cause = gaveUpCause(t, close, keepaliveMs, add);
  } else if (ending === "kicked" && close) {
    kick = kickTimingOf(t, keepaliveMs, close.at.timeMs, options.model, toleranceMs);
    addKickWindow(close, kick, toleranceMs, add);
    cause = kickCause(t, close, keepaliveMs, toleranceMs, kick.timing === "early", add, undecidable);
  } else if (ending === "open-at-end" && options.captureEnd && keepaliveMs && t.connect) {
    const end = options.captureEnd;
    const overdue = kickTimingOf(t, keepaliveMs, end.timeMs, options.model, toleranceMs);
    if (overdue.timing === "late" && overdue.latestMs !== null) {
      kick = overdue;
      const silentMs = end.timeMs - (t.lastClient ?? t.connect.at).timeMs;
      add(end, { kind: "half-open", silentMs, overdueMs: end.timeMs - overdue.latestMs });
    }
  }
  if (t.violation && cause !== "malformed")
    add(t.violation.at, { kind: "violation", violation: t.violation.kind });
  evidence.sort((a, b) => a.at.packet - b.at.packet);
  return {
    ending,
    cause,
    ...(kick ? { kick } : {}),
    vantage,
    blind: blindnessOf(vantage.vantage),
    inferred: t.transport === "tls",
    evidence,
  };
}

function pick(c: NonNullable<ConnectionTimeline["connect"]>) {
  return { clientId: c.clientId, keepaliveS: c.keepaliveS, protocolVersion: c.protocolVersion };
}

type Add = (at: PacketRef, fact: EvidenceFact) => void;

function addKickWindow(close: CloseEvent, kick: KickReading, toleranceMs: number, add: Add): void {
  if (kick.earliestMs !== null && kick.latestMs !== null)
    add(close.at, {
      kind: "kick-window",
      earliestMs: kick.earliestMs,
      latestMs: kick.latestMs,
      kickMs: kick.atMs,
      toleranceMs,
    });
}

/**
 * A takeover seen only as a close after a newer CONNECT of the same id (no DISCONNECT 0x8E to name it): when the
 * broker model's keepalive kick was due by then — its latest instant passed, less the tolerance, and not by more
 * than a broker's timers run late — the close is as much a kick as a takeover. Returns that kick, else undefined.
 * Seen against the real NanoMQ 0.25.3 (keepalive 1, Q 1 s): a client's reconnect 59 ms after the tick model's
 * kick instant and the broker's FIN 0.2 ms after that CONNECT, the broker's log saying keepalive timeout.
 */
function takeoverOrKick(
  t: ConnectionTimeline,
  close: CloseEvent,
  keepaliveMs: number | undefined,
  model: KeepaliveParams,
  toleranceMs: number,
): KickReading | undefined {
  if (close.how === "disconnect") return undefined;
  const kick = kickTimingOf(t, keepaliveMs, close.at.timeMs, model, toleranceMs);
  if (kick.latestMs === null) return undefined;
  const due = close.at.timeMs - kick.latestMs;
  return due >= -toleranceMs && due <= toleranceMs + BROKER_TIMERS_LATE_MS ? kick : undefined;
}

/**
 * A broker's kick: was the client silent past its keepalive (client-late), or did the network lose what it sent
 * (retransmissions or late fills of the client's bytes since its last packet, or client data the broker never
 * acknowledged), or did the capture itself miss client bytes (then nothing can be said)?
 */
function kickCause(
  t: ConnectionTimeline,
  kick: CloseEvent,
  keepaliveMs: number | undefined,
  toleranceMs: number,
  early: boolean,
  add: Add,
  undecidable: (at: PacketRef, reason: UndecidableReason) => Cause,
): Cause {
  const last = t.lastClient;
  if (last) add(last, { kind: "last-client-packet", packetName: t.lastClientKind ?? "data" });
  if (keepaliveMs === undefined || !t.connect) return undecidable(kick.at, "no-connect");
  const since = (last?.timeMs ?? t.connect.at.timeMs) - keepaliveMs;
  const inWindow = (at: PacketRef) => at.timeMs >= since && at.packet <= kick.at.packet;
  const missed = t.missed.filter((m) => m.side === "client" && inWindow(m.at));
  for (const m of missed) add(m.at, { kind: "missed", side: m.side, bytes: m.bytes, reason: m.reason });
  if (missed.length > 0) return undecidable(kick.at, "capture-missed-client-bytes");
  const silenceMs = kick.at.timeMs - (last ?? t.connect.at).timeMs;
  add(kick.at, { kind: "silence", ms: silenceMs, keepaliveMs });
  const losses = t.losses.filter((l) => l.side === "client" && inWindow(l.at));
  for (const l of losses)
    add(
      l.at,
      l.kind === "retransmitted"
        ? { kind: "retransmitted", side: l.side, bytes: l.bytes }
        : {
            kind: "filled-late",
            side: l.side,
            bytes: l.bytes,
            holeMs: l.at.timeMs - (l.since?.timeMs ?? l.at.timeMs),
          },
    );
  const unacked = t.clientUnacked && t.clientUnacked.packet <= kick.at.packet ? t.clientUnacked : undefined;
  if (unacked) add(unacked, { kind: "unacknowledged", side: "client" });
  if (losses.length > 0 || unacked) return "network";
  if (keepaliveMs > 0 && silenceMs > keepaliveMs + toleranceMs) return "client-late";
  if (early && silenceMs <= ANSWER_WINDOW_MS + toleranceMs)
    return undecidable(kick.at, "broker-closed-after-client-data");
  return "none";
}

/**
 * A client that closed or reset: if its last PINGREQ was still unanswered, and long enough ago that it was waiting,
 * it gave up on the PINGRESP — lost by the network if the broker's bytes were being sent again, missing otherwise.
 */
function gaveUpCause(
  t: ConnectionTimeline,
  close: CloseEvent,
  keepaliveMs: number | undefined,
  add: Add,
): Cause {
  const ping = t.lastPingreq;
  // a PINGRESP behind the client's own close (a slow link's) came too late to answer anything
  const resp = t.lastPingresp;
  if (!ping || (resp && resp.packet > ping.packet && resp.packet < close.at.packet)) return "none";
  const waitedMs = close.at.timeMs - ping.timeMs;
  const patience = keepaliveMs ? keepaliveMs * GAVE_UP_FRACTION_OF_KEEPALIVE : GAVE_UP_WITHOUT_KEEPALIVE_MS;
  if (waitedMs < patience) return "none";
  add(ping, { kind: "pingreq-unanswered", waitedMs });
  const losses = t.losses.filter((l) => l.side === "broker" && l.at.packet > ping.packet);
  for (const l of losses) add(l.at, { kind: "retransmitted", side: l.side, bytes: l.bytes });
  return losses.length > 0 ? "network" : "pingresp-missing";
}
