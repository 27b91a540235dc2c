import { durationText, formatSeconds, secondsOrNull as sec, seconds } from "../core/seconds.js";
import type { LatencyBudget, LatencyOutcome, LiveLatencyClient } from "../scenarios/latency-budget.js";
import { wrapText } from "./scenario-layout.js";
import { subjectLibraryText } from "./subject-library-words.js";

const OUTCOME: Record<LatencyOutcome, string> = {
  survives: "survives",
  "client-gives-up": "the client gives up first",
  "broker-kicks": "the broker kicks first",
  depends: "depends on the tick phase or the jitter's draws",
};

function sweepText(b: LatencyBudget): string {
  const groups: { from: number; to: number; outcome: LatencyOutcome }[] = [];
  for (const x of b.sweep) {
    const last = groups[groups.length - 1];
    if (last && last.outcome === x.outcome) last.to = x.latencyMs;
    else groups.push({ from: x.latencyMs, to: x.latencyMs, outcome: x.outcome });
  }
  return groups
    .map((g) => `${g.from === g.to ? seconds(g.from) : `${seconds(g.from)}–${seconds(g.to)}`} s ${g.outcome}`)
    .join(" · ");
}

function liveText(c: LiveLatencyClient, b: LatencyBudget): string {
  const link = `${durationText(c.latencyMs)}${c.jitterMs > 0 ? ` ± ${durationText(c.jitterMs)}` : ""} each way`;
  const seen =
    c.seen === "survives"
      ? "survived"
      : c.seen === "broker-kicks"
        ? `kicked by the broker at ${formatSeconds(c.endedAt ?? 0)}`
        : c.seen === "client-gives-up"
          ? `gave up itself (${b.library ? `${b.library.name}'s rule` : "MQTT.js Keepalive timeout"}) at ${formatSeconds(c.endedAt ?? 0)}`
          : "ended unclear";
  return `${c.clientId} at ${link}: ${seen} (expected: ${c.expected})`;
}

/** The table report's lines for `high-latency`. */
export function highLatencyLines(b: LatencyBudget, width: number): string[] {
  const broker =
    b.brokerMaxDelayMs === null ? "any delay" : `a one-way delay up to ${durationText(b.brokerMaxDelayMs)}`;
  const safe =
    b.largestSafeLatencyMs === null
      ? "no latency survives that jitter"
      : `largest safe latency ${durationText(b.largestSafeLatencyMs)} at ± ${durationText(b.jitterMs)} jitter`;
  return [
    `keepalive ${durationText(b.keepaliveMs)}: the broker's model survives ${broker} (latency + jitter); MQTT.js gives up ` +
      `from ${durationText(b.clientMaxDelayMs)} (a round trip of half a keepalive): ${safe}; past it ${OUTCOME[b.firstToGiveUp]}`,
    `latency sweep (± ${durationText(b.jitterMs)}): ${sweepText(b)}`,
    ...(b.library
      ? [
          `live clients: ${subjectLibraryText(b.library)} — their expected outcomes are its model's at their latency`,
        ]
      : []),
    ...b.live.map((c) => liveText(c, b)),
  ].flatMap((t) => wrapText(t, width, "  ", "    "));
}

/** high-latency at a glance: `keepalive 10 s: largest safe latency 2 s at ± 0.5 s jitter; past it the client gives up first`. */
export function highLatencySummary(b: LatencyBudget): string {
  const safe =
    b.largestSafeLatencyMs === null
      ? "no latency survives that jitter"
      : `largest safe latency ${durationText(b.largestSafeLatencyMs)} at ± ${durationText(b.jitterMs)} jitter`;
  return `keepalive ${durationText(b.keepaliveMs)}: ${safe}; past it ${OUTCOME[b.firstToGiveUp]}`;
}

/** `high-latency`'s member of `network` in its scenario object (seconds, as the rest of the report). */
export function highLatencyJson(b: LatencyBudget) {
  return {
    latencyBudget: {
      ...(b.library ? { library: b.library } : {}),
      keepalive: sec(b.keepaliveMs),
      jitter: sec(b.jitterMs),
      brokerMaxDelay: sec(b.brokerMaxDelayMs),
      clientMaxDelay: sec(b.clientMaxDelayMs),
      largestSafeLatency: sec(b.largestSafeLatencyMs),
      firstToGiveUp: b.firstToGiveUp,
      sweep: b.sweep.map((x) => ({ latency: sec(x.latencyMs), outcome: x.outcome })),
      live: b.live.map((c) => ({
        clientId: c.clientId,
        latency: sec(c.latencyMs),
        jitter: sec(c.jitterMs),
        expected: c.expected,
        seen: c.seen,
        endedAt: sec(c.endedAt),
      })),
    },
  };
}
