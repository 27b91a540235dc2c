import type { ProbeFinding } from "../probe/types.js";
import { keepaliveAdvice } from "./probe-keepalive-advice.js";

type M = Record<string, unknown>;
const s = (v: unknown) => (typeof v === "number" ? `${Math.round(v * 100) / 100} s` : "?");
const ms = (v: unknown) => (typeof v === "number" ? `${Math.round(v * 10) / 10} ms` : "?");
const hex = (v: unknown) =>
  typeof v === "number" ? `0x${v.toString(16).toUpperCase().padStart(2, "0")}` : "";

/** The plain-words reading of the inferred keepalive model ("≈1.5× with a ~6 s sweep"). */
export function readingText(reading: unknown): string {
  const r = (reading ?? {}) as M;
  switch (r.code) {
    case "tick":
      return `a per-connection tick (NanoMQ's model): retry_interval ${r.tick} s, keepalive_multiplier ${multiplierText(r)}`;
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
    default:
      return "no kick observed";
  }
}

/** "1.25", or "between 0 and 2.5" while the samples leave it open. */
function multiplierText(r: M): string {
  if (typeof r.multiplier === "number") return String(r.multiplier);
  const range = Array.isArray(r.range) ? (r.range as (number | null)[]) : [];
  if (range[0] === undefined) return "?";
  return range[1] === null || range[1] === undefined
    ? `≥ ${range[0]}`
    : `between ${range[0]} and ${range[1]}`;
}

/** What the fit leaves open ("; still open: the multiplier, between 0 and 2.5 (--max-wait 276s pins it …)"). */
export function openText(inferred: unknown): string {
  const open = ((inferred ?? {}) as M).open;
  if (!Array.isArray(open) || open.length === 0) return "";
  const parts = (open as M[]).map((o) => {
    if (o.parameter === "model" && o.code === "ambiguous")
      return `which model (${(o.candidates as string[]).join(" or ")}: sample more keepalives)`;
    if (o.parameter === "model") return "the model (no kick observed)";
    if (o.parameter === "multiplier")
      return `the multiplier, ${multiplierText({ range: o.range })}${typeof o.needMaxWaitS === "number" ? ` (--max-wait ${o.needMaxWaitS}s pins it to ±0.05)` : ""}`;
    if (o.parameter === "tickS") return `the tick (${(o.candidates as number[]).join(" or ")} s)`;
    return "the sweep period (one sweep seen)";
  });
  return `; still open: ${parts.join(", ")}`;
}

/** What a retain check that did not finish could not confirm deleted. */
function leftText(m: M): string {
  const left = Array.isArray(m.leftBehind) ? (m.leftBehind as string[]) : [];
  return left.length ? `; could not confirm the delete: left behind ${left.join(", ")}` : "";
}

/** "kicked 1.2 s after the last packet, before 1.5 × keepalive = 1.5 s" */
function earliestText(earliest: unknown): string {
  const e = (earliest ?? {}) as M;
  return `kicked ${s(e.kickAfter)} after the last packet, before 1.5 × keepalive = ${s(e.limit)}`;
}

function closeText(kind: unknown, reasonCode: unknown): string {
  if (kind === "disconnect") return `DISCONNECT ${hex(reasonCode)}`.trim();
  if (kind === "fin") return "FIN";
  if (kind === "rst") return "RST";
  return String(kind ?? "?");
}

/** One line saying what a check found. Pure: the same finding always gives the same words. */
export function probeSummary(f: ProbeFinding): string {
  const m = f.measured;
  switch (`${f.id}/${f.code}`) {
    case "connect/connected":
      return `MQTT ${m.mqttVersion}: TCP ${ms(m.tcpMs)}, CONNACK ${ms(m.connackMs)}${versionsText(m)}${m.keepaliveOverridden ? `, broker imposes keepalive ${m.serverKeepAlive} s` : ""}`;
    case "connect/no-connack":
      return `no CONNACK within ${s((m.timeoutMs as number) / 1000)}`;
    case "connect/closed-before-connack":
      return "the broker closed the connection before sending CONNACK";
    case "connect/not-mqtt":
      return "the broker answered CONNECT with bytes that are not MQTT";
    case "ping/answered":
      return `${m.count} PINGREQ answered: p50 ${ms(m.p50Ms)}, p95 ${ms(m.p95Ms)}, max ${ms(m.maxMs)}`;
    case "ping/no-pingresp":
      return `PINGREQ ${m.sent} not answered within ${s((m.timeoutMs as number) / 1000)}`;
    case "ping/closed":
      return `the broker closed a healthy session (${closeText(m.closeKind, undefined)}) after ${m.answered} PINGRESP`;
    case "keepalive/within-window":
      return `kicks within 1.5× keepalive + 2 s: ${readingText(m.reading)}${openText(m.inferred)}`;
    case "keepalive/early-kick":
      return `${earliestText(m.earliest)}, more than 1 s early: healthy clients get dropped; ${readingText(m.reading)}${openText(m.inferred)}`;
    case "keepalive/early-whole-second":
      return `${earliestText(m.earliest)}${(m.reading as M | undefined)?.code === "tick" ? "" : ": the broker appears to track time in whole seconds"}${m.lag === null ? "" : `; kicks up to ${s(m.lag)} late`}; ${readingText(m.reading)}${openText(m.inferred)}`;
    case "keepalive/late-kick":
      return `kicks up to ${s(m.lag)} after 1.5× keepalive: ${readingText(m.reading)}${openText(m.inferred)}`;
    case "keepalive/not-kicked":
      return `${m.notKicked} silent session(s) not kicked within ${s(m.maxWait)}; ${readingText(m.reading)}${openText(m.inferred)}`;
    case "will/delivered":
      return `will after a reset in ${ms(m.afterResetMs)}; after a silent death ≤ ${s(m.afterLastPacket)} from the last packet`;
    case "will/no-will-after-reset":
      return `no will within ${s(m.waited)} of a TCP reset`;
    case "will/no-will-after-kick":
      return `${(m.silentDeaths as number) - (m.willsArrived as number)} of ${m.silentDeaths} kicked sessions' wills never arrived`;
    case "malformed/closed":
      return `closed on every malformed packet, within ${ms(m.maxCloseMs)}`;
    case "malformed/closed-before-send":
      return "inconclusive: the broker closed the session before the malformed packet was sent";
    case "malformed/left-open":
      return `left the connection open after ${(m.leftOpen as string[]).join(", ")}`;
    case "retain/intact":
      return `retained ${m.bytes}-byte payload read back intact in ${ms(m.readBackMs)}; deleted, nothing left`;
    case "retain/corrupted":
      return "the retained payload came back different from what was stored";
    case "retain/not-retained":
      return "the retained message was not delivered to a new subscriber";
    case "retain/not-deleted":
    case "retain/cleanup-unconfirmed":
      return `could not confirm the delete: left behind ${(m.leftBehind as string[]).join(", ")}`;
    case "retain/publish-failed":
      return `the retained PUBLISH was not acknowledged${leftText(m)}`;
    case "takeover/first-closed":
      return `first connection closed by ${closeText(m.closeKind, m.reasonCode)} after ${ms(m.afterMs)}`;
    case "takeover/closed-before-takeover":
      return "inconclusive: the first connection was closed before the second CONNECT";
    case "takeover/first-left-open":
      return "the first connection stayed open after a second CONNECT with its client id";
    case "takeover/second-refused":
      return "the second connection with the same client id was refused";
    case "takeover/second-closed":
      return "the broker closed the new connection instead of the old one";
  }
  if (f.status === "skip") return "skipped: no MQTT session could be established";
  if (f.code === "no-session") return `could not set up a session for this check${leftText(m)}`;
  if (f.code === "unreachable") return "the broker became unreachable during this check";
  return f.code;
}

function versionsText(m: M): string {
  const versions = (m.versions ?? {}) as Record<string, { accepted?: boolean; code?: number }>;
  const parts = Object.entries(versions).map(([v, r]) => `${v} ${r.accepted ? "yes" : "no"}`);
  return parts.length > 1 ? ` (accepts ${parts.join(", ")})` : "";
}

/** What to do about a finding, when there is something to do. */
export function probeAdvice(f: ProbeFinding): string | undefined {
  if (f.id === "keepalive") return keepaliveAdvice(f);
  switch (`${f.id}/${f.code}`) {
    case "ping/no-pingresp":
      return "Clients that get no PINGRESP disconnect themselves after ~1.5× keepalive (MQTT.js: 'Keepalive timeout').";
    case "retain/not-deleted":
    case "retain/cleanup-unconfirmed":
      return "Delete the left-over retained topic by publishing a zero-length retained message to it.";
    case "takeover/first-left-open":
      return "Two clients with one id both stay connected: check the broker's client-id handling.";
  }
  return undefined;
}
