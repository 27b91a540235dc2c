import { round } from "../core/round.js";
import type { CloseKind } from "../mqtt-wire/raw-session.js";
import type { FindingOf, OwnFinding, ProbeFinding } from "../probe/findings.js";
import { isOwn } from "../probe/findings.js";
import type { Inferred, OpenQuestion } from "../probe/keepalive-fit-types.js";
import type { Reading } from "../probe/keepalive-reading.js";
import type { EarliestKick } from "../probe/keepalive-window.js";
import { keepaliveAdvice } from "./probe-keepalive-advice.js";

type Num = number | null | undefined;
/** Seconds (2 decimals) and ms (1 decimal) of a finding, rounded as the checks round them (src/core/round.ts). */
const s = (v: Num) => (typeof v === "number" ? `${round(v, 2)} s` : "?");
const ms = (v: Num) => (typeof v === "number" ? `${round(v, 1)} ms` : "?");
const hex = (v: Num) => (typeof v === "number" ? `0x${v.toString(16).toUpperCase().padStart(2, "0")}` : "");

/** The plain-words reading of the inferred keepalive model ("≈1.5× with a ~6 s sweep"). */
export function readingText(r: Reading): string {
  switch (r.code) {
    case "tick":
      return `a per-connection tick (NanoMQ's model): retry_interval ${r.tick} s, keepalive_multiplier ${multiplierText(r.multiplier, r.range)}`;
    case "tick-dominated":
      return `a ~${r.tick} s tick dominates small keepalives (no kick before ${r.floor} s)`;
    case "sweep-dominated":
      return `a ~${r.granularity} s sweep dominates keepalives this small (kicks from ${r.floor} s whatever the keepalive); sample larger keepalives for the multiplier`;
    case "multiplier-with-sweep":
      return `≈${r.multiplier}× keepalive with a ~${r.granularity} s sweep`;
    case "multiplier":
      return `≈${r.multiplier}× keepalive, no visible sweep`;
    case "single-keepalive":
      return `≈${r.ratio}× keepalive at one keepalive value (granularity ~${r.granularity} s)`;
    case "none":
      return "no kick observed";
  }
}

/** "1.25", or "between 0 and 2.5" while the samples leave it open. */
function multiplierText(multiplier: number | null, range: readonly [number, number | null] | null): string {
  if (multiplier !== null) return String(multiplier);
  if (range === null) return "?";
  return range[1] === null ? `≥ ${range[0]}` : `between ${range[0]} and ${range[1]}`;
}

/** What the fit leaves open ("; still open: the multiplier, between 0 and 2.5 (--max-wait 276s pins it …)"). */
export function openText(inferred: Inferred): string {
  if (inferred.open.length === 0) return "";
  return `; still open: ${inferred.open.map(openPart).join(", ")}`;
}

function openPart(o: OpenQuestion): string {
  switch (o.parameter) {
    case "model":
      return o.code === "ambiguous"
        ? `which model (${o.candidates.join(" or ")}: sample more keepalives)`
        : "the model (no kick observed)";
    case "multiplier":
      return `the multiplier, ${multiplierText(null, o.range)}${o.needMaxWaitS === null ? "" : ` (--max-wait ${o.needMaxWaitS}s pins it to ±0.05)`}`;
    case "tickS":
      return `the tick (${o.candidates.join(" or ")} s)`;
    case "granularityS":
      return "the sweep period (one sweep seen)";
  }
}

/** What a retain check that did not finish could not confirm deleted. */
const leftText = (left: readonly string[]) =>
  left.length ? `; could not confirm the delete: left behind ${left.join(", ")}` : "";

const NO_SESSION = "could not set up a session for this check";

/** "kicked 1.2 s after the last packet, before 1.5 × keepalive = 1.5 s" */
const earliestText = (e: EarliestKick | null) =>
  `kicked ${s(e?.kickAfter)} after the last packet, before 1.5 × keepalive = ${s(e?.limit)}`;

function closeText(kind: CloseKind | undefined, reasonCode: Num): string {
  if (kind === "disconnect") return `DISCONNECT ${hex(reasonCode)}`.trim();
  if (kind === "fin") return "FIN";
  if (kind === "rst") return "RST";
  return kind ?? "?";
}

/** One line saying what a check found. Pure: the same finding always gives the same words. */
export function probeSummary(f: ProbeFinding): string {
  const own = isOwn(f) ? ownSummary(f) : undefined;
  if (own !== undefined) return own;
  if (f.status === "skip") return "skipped: no MQTT session could be established";
  if (f.code === "no-session") return NO_SESSION;
  if (f.code === "unreachable") return "the broker became unreachable during this check";
  return f.code;
}

/** A check's own words for its finding; undefined for the codes every check words alike (probeSummary). */
function ownSummary(f: OwnFinding): string | undefined {
  switch (f.id) {
    case "connect":
      return connectSummary(f);
    case "ping":
      return pingSummary(f);
    case "keepalive":
      return keepaliveSummary(f);
    case "will":
      return willSummary(f);
    case "malformed":
      return malformedSummary(f);
    case "retain":
      return retainSummary(f);
    case "takeover":
      return takeoverSummary(f);
  }
}

function connectSummary(f: FindingOf<"connect">): string {
  switch (f.code) {
    case "connected": {
      const m = f.measured;
      return `MQTT ${m.mqttVersion}: TCP ${ms(m.tcpMs)}, CONNACK ${ms(m.connackMs)}${versionsText(m.versions)}${m.keepaliveOverridden ? `, broker imposes keepalive ${m.serverKeepAlive} s` : ""}`;
    }
    case "no-connack":
      return `no CONNACK within ${s(f.measured.timeoutMs / 1000)}`;
    case "closed-before-connack":
      return "the broker closed the connection before sending CONNACK";
    case "not-mqtt":
      return "the broker answered CONNECT with bytes that are not MQTT";
  }
}

function versionsText(versions: FindingOf<"connect">["measured"]["versions"]): string {
  const parts = Object.entries(versions).map(([v, r]) => `${v} ${r?.accepted ? "yes" : "no"}`);
  return parts.length > 1 ? ` (accepts ${parts.join(", ")})` : "";
}

function pingSummary(f: FindingOf<"ping">): string | undefined {
  switch (f.code) {
    case "answered": {
      const m = f.measured;
      return `${m.count} PINGREQ answered: p50 ${ms(m.p50Ms)}, p95 ${ms(m.p95Ms)}, max ${ms(m.maxMs)}`;
    }
    case "no-pingresp":
      return `PINGREQ ${f.measured.sent} not answered within ${s(f.measured.timeoutMs / 1000)}`;
    case "closed":
      return `the broker closed a healthy session (${closeText(f.measured.closeKind, undefined)}) after ${f.measured.answered} PINGRESP`;
    case "no-session":
      return undefined;
  }
}

function keepaliveSummary(f: FindingOf<"keepalive">): string | undefined {
  const m = f.measured;
  const model = `${readingText(m.reading)}${openText(m.inferred)}`;
  switch (f.code) {
    case "within-window":
      return `kicks within 1.5× keepalive + 2 s: ${model}`;
    case "early-kick":
      return `${earliestText(m.earliest)}, more than 1 s early: healthy clients get dropped; ${model}`;
    case "early-whole-second":
      return `${earliestText(m.earliest)}${m.reading.code === "tick" ? "" : ": the broker appears to track time in whole seconds"}${m.lag === null ? "" : `; kicks up to ${s(m.lag)} late`}; ${model}`;
    case "late-kick":
      return `kicks up to ${s(m.lag)} after 1.5× keepalive: ${model}`;
    case "not-kicked":
      return `${m.notKicked} silent session(s) not kicked within ${s(m.maxWait)}; ${model}`;
    case "no-samples":
    case "no-session":
      return undefined;
  }
}

function willSummary(f: FindingOf<"will">): string | undefined {
  if (f.code === "no-session") return undefined;
  const m = f.measured;
  switch (f.code) {
    case "delivered":
      return `will after a reset in ${ms(m.afterResetMs)}; after a silent death ≤ ${s(m.afterLastPacket)} from the last packet`;
    case "no-will-after-reset":
      return `no will within ${s(m.waited)} of a TCP reset`;
    case "no-will-after-kick":
      return `${m.silentDeaths - m.willsArrived} of ${m.silentDeaths} kicked sessions' wills never arrived`;
  }
}

function malformedSummary(f: FindingOf<"malformed">): string | undefined {
  switch (f.code) {
    case "closed":
      return `closed on every malformed packet, within ${ms(f.measured.maxCloseMs)}`;
    case "closed-before-send":
      return "inconclusive: the broker closed the session before the malformed packet was sent";
    case "left-open":
      return `left the connection open after ${f.measured.leftOpen.join(", ")}`;
    case "no-session":
      return undefined;
  }
}

function retainSummary(f: FindingOf<"retain">): string {
  switch (f.code) {
    case "intact":
      return `retained ${f.measured.bytes}-byte payload read back intact in ${ms(f.measured.readBackMs)}; deleted, nothing left`;
    case "corrupted":
      return "the retained payload came back different from what was stored";
    case "not-retained":
      return "the retained message was not delivered to a new subscriber";
    case "not-deleted":
    case "cleanup-unconfirmed":
      return `could not confirm the delete: left behind ${f.measured.leftBehind.join(", ")}`;
    case "publish-failed":
      return `the retained PUBLISH was not acknowledged${leftText(f.measured.leftBehind)}`;
    case "no-session":
      return `${NO_SESSION}${leftText(f.measured.leftBehind)}`;
  }
}

function takeoverSummary(f: FindingOf<"takeover">): string | undefined {
  switch (f.code) {
    case "first-closed":
      return `first connection closed by ${closeText(f.measured.closeKind, f.measured.reasonCode)} after ${ms(f.measured.afterMs)}`;
    case "closed-before-takeover":
      return "inconclusive: the first connection was closed before the second CONNECT";
    case "first-left-open":
      return "the first connection stayed open after a second CONNECT with its client id";
    case "second-refused":
      return "the second connection with the same client id was refused";
    case "second-closed":
      return "the broker closed the new connection instead of the old one";
    case "no-session":
      return undefined;
  }
}

/** What to do about a finding, when there is something to do. */
export function probeAdvice(f: ProbeFinding): string | undefined {
  if (!isOwn(f)) return undefined;
  if (f.id === "keepalive") return keepaliveAdvice(f);
  if (f.id === "ping" && f.code === "no-pingresp")
    return "Clients that get no PINGRESP disconnect themselves after ~1.5× keepalive (MQTT.js: 'Keepalive timeout').";
  if (f.id === "retain" && (f.code === "not-deleted" || f.code === "cleanup-unconfirmed"))
    return "Delete the left-over retained topic by publishing a zero-length retained message to it.";
  if (f.id === "takeover" && f.code === "first-left-open")
    return "Two clients with one id both stay connected: check the broker's client-id handling.";
  return undefined;
}
