import type { ProfileOptions } from "../core/profile.js";
import { kickDelayAfterConnect, kickDelayAfterLastPacket } from "../keepalive/predict.js";
import type { DelayWindow } from "../keepalive/predict-types.js";
import type { SubjectLibrary } from "./subject-library.js";

/**
 * How much one-way delay a keepalive configuration survives (issue 9, `high-latency`). Over a link that holds
 * each chunk L ± J (uniform, each way, order kept), an MQTT.js client pings 2·⌈KA/2⌉ after each PINGRESP it
 * RECEIVES and gives up 3·⌈KA/2⌉ after it (node_modules/mqtt/build/lib/KeepaliveManager.js). So:
 *  - the broker sees a gap of KA + down + up between inbound packets (CONNECT → first PINGREQ, PINGREQ → next):
 *    it never kicks while KA + 2·(L + J) stays within the model's safe gap (from CONNECT, and after a packet);
 *  - the client gives up when a round trip takes half a keepalive or more: up + down ≥ ⌈KA/2⌉;
 *  - when both fail, the broker's kick comes inside the gap, before the PINGREQ (and long before the client's
 *    FIN) arrives; when only the client fails its FIN reaches the broker as a peer going away.
 * All ms. The sweep is the model's; the scenario checks its two ends with real clients.
 */
export type LatencyOutcome = "survives" | "client-gives-up" | "broker-kicks" | "depends";

export interface LatencyBudget {
  keepaliveMs: number;
  /** The jitter the sweep and the live clients use (± around each latency). */
  jitterMs: number;
  /** The largest worst-case one-way delay (latency + jitter) the broker's model never kicks; null = no limit. */
  brokerMaxDelayMs: number | null;
  /** MQTT.js gives up from this worst-case one-way delay on (a round trip of ⌈KA/2⌉). */
  clientMaxDelayMs: number;
  /** The largest latency that survives at jitterMs (both sides); null = none (the jitter alone is too much). */
  largestSafeLatencyMs: number | null;
  /** Just past that latency, who gives up first. */
  firstToGiveUp: LatencyOutcome;
  /** One-way latencies 0 … KA/2, by KA/20, at jitterMs. */
  sweep: { latencyMs: number; outcome: LatencyOutcome }[];
  /** The live clients of the run: the latency, what the model expects and what was seen. */
  live: LiveLatencyClient[];
  /** --client: the live clients' library (their expected outcomes are its model's); undefined: MQTT.js. */
  library?: SubjectLibrary;
}

export interface LiveLatencyClient {
  clientId: string;
  latencyMs: number;
  jitterMs: number;
  expected: LatencyOutcome;
  seen: LatencyOutcome | null;
  /** Scenario ms: the broker ended the connection, or the client gave up (null = neither). */
  endedAt: number | null;
}

type Params = Pick<ProfileOptions, "profile" | "retryIntervalMs" | "keepaliveMultiplier" | "nanomqVersion">;

type Fate = "safe" | "kick" | "depends";

/**
 * One gap against a delay window: an exact model (spec; NanoMQ counted from CONNECT, its ticks then known) kicks a
 * gap as long as the delay (a packet at the kick's instant comes too late); a phase-free window survives a gap
 * up to its minimum and surely kicks one of its maximum or more.
 */
function fate(gapMs: number, w: DelayWindow | null): Fate {
  if (w === null) return "safe";
  if (w.exact) return gapMs >= w.minMs ? "kick" : "safe";
  if (gapMs <= w.minMs) return "safe";
  return gapMs >= w.maxMs ? "kick" : "depends";
}

/** The delay D up to which gaps KA + 2·D survive the window (an exact model: strictly below it). */
function safeDelay(keepaliveMs: number, w: DelayWindow | null): number {
  if (w === null) return Number.POSITIVE_INFINITY;
  return Math.max(0, (w.minMs - keepaliveMs) / 2);
}

/**
 * The outcome for a fixed one-way delay D each way (no jitter). The broker sees a first gap CONNECT → PINGREQ and
 * then PINGREQ → PINGREQ gaps, each KA + 2·D; the first is judged by the model from CONNECT (NanoMQ's first tick
 * comes 1.5·Q after it), the later ones phase-free. A client that gives up does so after its first round trip,
 * so only the first gap counts then (its FIN comes half a keepalive after the PINGREQ: well inside any limit).
 */
export function outcomeAtDelay(p: Params, keepaliveMs: number, delayMs: number): LatencyOutcome {
  const gap = keepaliveMs + 2 * delayMs;
  const first = fate(gap, kickDelayAfterConnect(p, keepaliveMs));
  if (first === "kick") return "broker-kicks";
  if (2 * delayMs >= Math.ceil(keepaliveMs / 2)) return first === "safe" ? "client-gives-up" : "depends";
  const later = fate(gap, kickDelayAfterLastPacket(p, keepaliveMs));
  if (later === "kick") return "broker-kicks";
  return first === "safe" && later === "safe" ? "survives" : "depends";
}

/** The outcome at latency ± jitter: the same at both extremes (the models are monotonic in delay), else depends. */
export function outcomeAt(p: Params, keepaliveMs: number, latencyMs: number, jitterMs: number, marginMs = 0) {
  const lo = outcomeAtDelay(p, keepaliveMs, Math.max(0, latencyMs - jitterMs - marginMs));
  const hi = outcomeAtDelay(p, keepaliveMs, latencyMs + jitterMs + marginMs);
  return lo === hi ? lo : "depends";
}

/** The sweep and its two limits; `live` is filled by the scenario. */
export function latencyBudget(p: Params, keepaliveMs: number, jitterMs: number): LatencyBudget {
  const safe = Math.min(
    safeDelay(keepaliveMs, kickDelayAfterConnect(p, keepaliveMs)),
    safeDelay(keepaliveMs, kickDelayAfterLastPacket(p, keepaliveMs)),
  );
  const brokerMax = Number.isFinite(safe) ? safe : null;
  const clientMax = Math.ceil(keepaliveMs / 2) / 2;
  const limit = Math.min(brokerMax ?? Number.POSITIVE_INFINITY, clientMax);
  const sweep: LatencyBudget["sweep"] = [];
  const step = keepaliveMs / 20;
  for (let i = 0; i <= 10; i++) {
    const latencyMs = Math.round(i * step);
    sweep.push({ latencyMs, outcome: outcomeAt(p, keepaliveMs, latencyMs, Math.min(jitterMs, latencyMs)) });
  }
  return {
    keepaliveMs,
    jitterMs,
    brokerMaxDelayMs: brokerMax,
    clientMaxDelayMs: clientMax,
    largestSafeLatencyMs: limit - jitterMs >= 0 ? limit - jitterMs : null,
    firstToGiveUp: outcomeAtDelay(p, keepaliveMs, limit + 1),
    sweep,
    live: [],
  };
}

/** One live client's link: latency ± jitter (jitter ≤ latency, as the link options require). */
export interface LivePlan {
  latencyMs: number;
  jitterMs: number;
  expected: LatencyOutcome;
}

/**
 * The survivor: the worst-case delay `marginMs` inside both limits; null when there is no room (the jitter alone
 * eats the budget).
 */
export function survivorPlan(b: LatencyBudget, marginMs: number): LivePlan | null {
  const maxDelay = Math.min(b.brokerMaxDelayMs ?? Number.POSITIVE_INFINITY, b.clientMaxDelayMs) - marginMs;
  if (maxDelay <= 0) return null;
  const jitterMs = Math.min(b.jitterMs, maxDelay / 2);
  return { latencyMs: maxDelay - jitterMs, jitterMs, expected: "survives" };
}

/**
 * The late client: the smallest latency past the limit (by `marginMs`, in steps of KA/40, at most `maxLatencyMs`)
 * whose outcome is certain whatever the jitter draws, first with the budget's jitter and then without; failing
 * that, just past the limit without jitter, expected `depends` (either side may go first).
 */
export function latePlan(p: Params, b: LatencyBudget, marginMs: number, maxLatencyMs: number): LivePlan {
  const limit = Math.min(b.brokerMaxDelayMs ?? Number.POSITIVE_INFINITY, b.clientMaxDelayMs);
  const step = Math.max(1, b.keepaliveMs / 40);
  for (const jitter of [b.jitterMs, 0]) {
    for (let latencyMs = limit + marginMs + jitter; latencyMs <= maxLatencyMs; latencyMs += step) {
      const expected = outcomeAt(p, b.keepaliveMs, latencyMs, jitter, marginMs);
      if (expected === "client-gives-up" || expected === "broker-kicks")
        return { latencyMs: Math.round(latencyMs), jitterMs: jitter, expected };
    }
  }
  return {
    latencyMs: Math.round(Math.min(maxLatencyMs, limit + marginMs)),
    jitterMs: 0,
    expected: "depends",
  };
}
