import type { TraceEvent } from "../broker/types.js";
import type { ProfileOptions } from "../core/profile.js";
import { secondsOrNull } from "../core/seconds.js";
import type { FleetClient } from "../fleet/types.js";
import type { LatencyFault, LinkSpec } from "../link/types.js";
import { highLatencyJson, highLatencyLines, highLatencySummary } from "../report/high-latency-lines.js";
import { clientLibraryOptions } from "./client-library-options.js";
import {
  loopIntervalOf,
  markOwnEnd,
  namedLibrary,
  subjectLibrary,
  subjectRealTime,
  subjectSpec,
} from "./client-subject.js";
import { brokerClosedAt, kickWindowCheck, seenOf } from "./high-latency-observe.js";
import { latestKickMs } from "./kick-check.js";
import {
  type LatencyBudget,
  type LiveLatencyClient,
  type LivePlan,
  latencyBudget,
  latePlan,
  outcomeAt,
  survivorPlan,
} from "./latency-budget.js";
import { libraryLiveMs, libraryOutcomeAt } from "./latency-library.js";
import { mergeLink } from "./network-link.js";
import { outcomeKind } from "./outcome-kind.js";
import { kickSequence, peerGoneSequence } from "./sequences.js";
import type { Expectation, ScenarioDefinition, ScenarioOptions } from "./types.js";

/** Round trips the survivor must live through. */
const SURVIVOR_GAPS = 3;
/** The late client's link delay stays under this: its CONNACK must come back within the fleet's answer timeout. */
const MAX_LATE_LATENCY_MS = 4000;

/** The default jitter: a twentieth of the keepalive. */
const jitterOf = (o: ScenarioOptions) => (o.keepaliveS * 1000) / 20;
/** How far the live clients stay from a limit: scale-free, so `expected` and `run` agree. */
const marginOf = (o: ScenarioOptions) => Math.max(150, 0.08 * o.keepaliveS * 1000);

/** A live client: its label (client id `mqdiag-high-latency-<label>-1`) and its link. */
interface Live {
  label: string;
  plan: LivePlan;
}

/** The user's --latency/--jitter, when given: they replace the scenario's pair of live clients with one. */
function userLatency(o: ScenarioOptions): LatencyFault | undefined {
  return o.network?.link?.faults.find((f): f is LatencyFault => f.kind === "latency");
}

function plan(p: ProfileOptions, o: ScenarioOptions) {
  const ka = o.keepaliveS * 1000;
  const user = userLatency(o);
  const budget = latencyBudget(p, ka, user ? (user.jitterMs ?? 0) : jitterOf(o));
  const margin = marginOf(o);
  const live: Live[] = [];
  const model = namedLibrary(o);
  // --client: the same links, each live client's outcome by the library's model instead of MQTT.js's
  const byLibrary = (l: Live): Live =>
    model
      ? {
          ...l,
          plan: {
            ...l.plan,
            expected: libraryOutcomeAt(model, p, ka, l.plan.latencyMs, l.plan.jitterMs, loopIntervalOf(o)),
          },
        }
      : l;
  if (user) {
    const jitterMs = user.jitterMs ?? 0;
    // the user's link is taken as given: only the timers' own slack (3 % of KA) blurs its outcome
    const expected = outcomeAt(p, ka, user.latencyMs, jitterMs, 0.03 * ka);
    live.push({ label: "user", plan: { latencyMs: user.latencyMs, jitterMs, expected } });
  } else {
    const survivor = survivorPlan(budget, margin);
    if (survivor) live.push({ label: "survivor", plan: survivor });
    live.push({ label: "late", plan: latePlan(p, budget, margin, Math.min(2 * ka, MAX_LATE_LATENCY_MS)) });
  }
  return { ka, budget, live: live.map(byLibrary) };
}

/** A real library's own end (its give-up), told from a close the broker's FIN caused (client-subject.ts). */
function settle(c: FleetClient | undefined, link: LinkSpec, trace: readonly TraceEvent[]): void {
  const r = c?.records()[0];
  if (c && r) markOwnEnd(c, r, link, trace);
}

/** The lines of the live client that ends: its kick, or its peer-gone close; none when all survive. */
function expected(p: ProfileOptions, o: ScenarioOptions): Expectation {
  const outcomes = plan(p, o).live.map((l) => l.plan.expected);
  if (outcomes.includes("depends")) return { seen: [], absent: [] };
  if (outcomes.includes("broker-kicks")) return { seen: kickSequence(p), absent: [] };
  if (outcomes.includes("client-gives-up"))
    return { seen: peerGoneSequence(p), absent: ["keepalive-timeout"] };
  return { seen: [], absent: ["keepalive-timeout", "recv-error", "peer-closed"] };
}

/** Scenario ms a live client needs: a survivor SURVIVOR_GAPS round trips, one that ends until surely ended. */
function liveMs(p: ProfileOptions, ka: number, l: LivePlan): number {
  const rtt = 2 * (l.latencyMs + l.jitterMs);
  if (l.expected === "survives") return rtt + SURVIVOR_GAPS * (ka + rtt) + 1000;
  return rtt + ka + Math.max(latestKickMs({ profile: p }, ka), 1.5 * ka) + 2000;
}

function durationMs(p: ProfileOptions, o: ScenarioOptions): number {
  const { live } = plan(p, o);
  return Math.max(0, ...live.map((l) => liveMsOf(p, o, l.plan))) + 1000;
}

/** liveMs, or a --client library's: until its model's latest action at the worst delay. */
function liveMsOf(p: ProfileOptions, o: ScenarioOptions, l: LivePlan): number {
  const ka = o.keepaliveS * 1000;
  const model = namedLibrary(o);
  if (!model) return liveMs(p, ka, l);
  return libraryLiveMs(model, p, ka, l.latencyMs + l.jitterMs, loopIntervalOf(o));
}

/** The scenario's latency with the user's other link faults (--bandwidth, --slow-close, …) added. */
const linkOf = (plan: LivePlan, o: ScenarioOptions) =>
  mergeLink(
    [
      {
        kind: "latency" as const,
        direction: "both" as const,
        latencyMs: plan.latencyMs,
        ...(plan.jitterMs > 0 ? { jitterMs: plan.jitterMs } : {}),
      },
    ],
    o.network?.link,
  );

/** high-latency's outcome: the latency budget and its live clients, in the table and as `network.latencyBudget`. */
export const latencyOutcome = outcomeKind<LatencyBudget>({
  lines: (b, _result, width) => highLatencyLines(b, width),
  json: (b) => ({ network: highLatencyJson(b) }),
  summary: highLatencySummary,
});

/**
 * high-latency: latency and jitter on the link make PINGREQs arrive late (and PINGRESPs come back late). Like
 * keepalive-budget, the model's sweep says which one-way latency (at a jitter) the configuration survives and who
 * gives up first past it — the broker (its keepalive) or the client (MQTT.js's own) — and two live clients check
 * both ends: one just inside the budget that must survive, one past it that must end as predicted.
 */
export const highLatency: ScenarioDefinition<LatencyBudget> = {
  name: "high-latency",
  // --client: the live clients are that library (real where it runs here, on real time), its model otherwise
  options: clientLibraryOptions,
  realTime: (_p, o) => subjectRealTime(o),
  behaviours: ["healthy", "real-library", "library-model"],
  outcome: latencyOutcome,
  explanation:
    "latency delays every PINGREQ by a one-way trip and every PINGRESP by another: the broker sees gaps of keepalive + a round trip, and MQTT.js gives up when a round trip reaches half a keepalive",
  expected,
  durationMs,
  async run(ctx) {
    const { budget, live: plans } = plan(ctx.profile, ctx.options);
    const started = await Promise.all(
      plans.map(async (l) => {
        const link = linkOf(l.plan, ctx.options);
        const spec = await subjectSpec(ctx.options, { link });
        // a library's model plans its pings for the link's latency (a PINGRESP comes back a round trip later)
        const planned =
          spec.behaviour === "library-model" ? { ...spec, oneWayLatencyMs: l.plan.latencyMs } : spec;
        const fleet = await ctx.startFleet(planned, 1, l.label);
        const client = fleet.clients[0];
        return { ...l, client, settle: () => settle(client, link, ctx.trace()) };
      }),
    );
    const start = ctx.clock.now();
    const ending = started.filter((l) => l.plan.expected !== "survives");
    const waitMs = Math.max(0, ...ending.map((l) => liveMsOf(ctx.profile, ctx.options, l.plan)));
    await ctx.waitUntil(
      () =>
        ending.every((l) => {
          l.settle();
          return l.client !== undefined && seenOf(ctx, l.client, l.plan).endedAt !== null;
        }),
      waitMs,
      "the late client's end",
      ending
        .map((l) => `${l.plan.latencyMs} ± ${l.plan.jitterMs} ms each way, expected: ${l.plan.expected}`)
        .join("; "),
    );
    // a client that gave up: its FIN crosses the link one latency later, and the broker's lines follow it
    const transitMs = Math.max(0, ...ending.map((l) => 2 * (l.plan.latencyMs + l.plan.jitterMs)));
    await ctx.waitUntil(
      () => ending.every((l) => l.client === undefined || brokerClosedAt(l.client) !== null),
      transitMs + 1000,
      "the broker's side of the close",
    );
    const survivors = started.filter((l) => l.plan.expected === "survives");
    const end = start + Math.max(0, ...survivors.map((l) => liveMsOf(ctx.profile, ctx.options, l.plan)));
    if (survivors.length > 0)
      await ctx.waitUntil(() => ctx.clock.now() >= end, end - ctx.clock.now(), "the survivor's pings");
    const live: LiveLatencyClient[] = [];
    for (const { client: c, plan: p, settle: done } of started) {
      done();
      const r = c?.records()[0];
      if (!c || !r) continue;
      const { seen, endedAt } = seenOf(ctx, c, p);
      live.push({
        clientId: r.clientId,
        latencyMs: p.latencyMs,
        jitterMs: p.jitterMs,
        expected: p.expected,
        seen,
        endedAt,
      });
      ctx.check({
        code: "client-outcome",
        ok: p.expected === "depends" ? seen !== null : seen === p.expected,
        essential: true,
        args: {
          clientId: r.clientId,
          latencyS: secondsOrNull(p.latencyMs),
          jitterS: secondsOrNull(p.jitterMs),
          expected: p.expected,
          seen,
          endedAtS: secondsOrNull(endedAt),
        },
      });
      if (seen === "broker-kicks" && endedAt !== null) kickWindowCheck(ctx, c, p, endedAt);
    }
    const library = subjectLibrary(ctx.options, started[0]?.client?.records()[0]);
    const result: LatencyBudget = { ...budget, live, ...(library ? { library } : {}) };
    ctx.report(result);
  },
};
