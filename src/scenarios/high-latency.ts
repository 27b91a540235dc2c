import type { TraceEvent } from "../broker/types.js";
import type { ProfileOptions } from "../core/profile.js";
import type { FleetClient } from "../fleet/types.js";
import { predictKickWindow } from "../keepalive/predict.js";
import { latestKickMs } from "./kick-check.js";
import {
  type LatencyBudget,
  type LatencyOutcome,
  type LiveLatencyClient,
  type LivePlan,
  latencyBudget,
  latePlan,
  survivorPlan,
} from "./latency-budget.js";
import { kickSequence, peerGoneSequence } from "./sequences.js";
import { toleranceMs } from "./time-scale.js";
import type { Expectation, ScenarioContext, ScenarioDefinition, ScenarioOptions } from "./types.js";

/** Round trips the survivor must live through. */
const SURVIVOR_GAPS = 3;
/** The late client's link delay stays under this: its CONNACK must come back within the fleet's answer timeout. */
const MAX_LATE_LATENCY_MS = 4000;

/** The default jitter: a twentieth of the keepalive. */
const jitterOf = (o: ScenarioOptions) => (o.keepaliveS * 1000) / 20;
/** How far the live clients stay from a limit: scale-free, so `expected` and `run` agree. */
const marginOf = (o: ScenarioOptions) => Math.max(150, 0.08 * o.keepaliveS * 1000);

function plan(p: ProfileOptions, o: ScenarioOptions) {
  const ka = o.keepaliveS * 1000;
  const budget = latencyBudget(p, ka, jitterOf(o));
  const margin = marginOf(o);
  const survivor = survivorPlan(budget, margin);
  const late = latePlan(p, budget, margin, Math.min(2 * ka, MAX_LATE_LATENCY_MS));
  return { ka, budget, survivor, late };
}

function expected(p: ProfileOptions, o: ScenarioOptions): Expectation {
  const { late } = plan(p, o);
  if (late.expected === "broker-kicks") return { seen: kickSequence(p), absent: [] };
  if (late.expected === "client-gives-up")
    return { seen: peerGoneSequence(p), absent: ["keepalive-timeout"] };
  return { seen: [{ id: ["keepalive-timeout", "peer-closed", "recv-error"] }], absent: [] };
}

function durationMs(p: ProfileOptions, o: ScenarioOptions): number {
  const { ka, survivor, late } = plan(p, o);
  const s = survivor ? 2 * (survivor.latencyMs + survivor.jitterMs) : 0;
  const survivorMs = s + SURVIVOR_GAPS * (ka + s) + 1000;
  const l = 2 * (late.latencyMs + late.jitterMs);
  const lateMs = l + ka + Math.max(latestKickMs({ profile: p }, ka), 1.5 * ka) + 2000;
  return Math.max(survivorMs, lateMs) + 1000;
}

const linkOf = (plan: LivePlan) => ({
  faults: [
    {
      kind: "latency" as const,
      direction: "both" as const,
      latencyMs: plan.latencyMs,
      ...(plan.jitterMs > 0 ? { jitterMs: plan.jitterMs } : {}),
    },
  ],
});

async function startLive(ctx: ScenarioContext, plan: LivePlan | null, label: string) {
  if (!plan) return undefined;
  const fleet = await ctx.startFleet({ behaviour: "healthy", link: linkOf(plan) }, 1, label);
  return fleet.clients[0];
}

const brokerClosedAt = (c: FleetClient) =>
  c.link?.events().find((e) => e.kind === "broker-closed")?.at ?? null;

/** What became of one live client: the broker's own record when embedded, its log lines, else the link's. */
function seenOf(
  ctx: ScenarioContext,
  c: FleetClient,
): { seen: LatencyOutcome | null; endedAt: number | null } {
  const r = c.records()[0];
  if (!r) return { seen: null, endedAt: null };
  const kick = ctx.trace().find((e) => e.type === "kick" && e.clientId === r.clientId);
  if (kick) return { seen: "broker-kicks", endedAt: kick.at };
  const closed = brokerClosedAt(c);
  if (ctx.external) {
    const line = ctx
      .signatures()
      .find(
        (g) =>
          g.id === "keepalive-timeout" &&
          (g.clientId === r.clientId || g.clientId === null) &&
          g.at >= (r.connectedAt ?? 0),
      );
    if (line) return { seen: "broker-kicks", endedAt: closed ?? line.at };
    if (closed !== null && (r.clientTimeoutAt === null || closed < r.clientTimeoutAt))
      return { seen: "broker-kicks", endedAt: closed };
  }
  if (r.clientTimeoutAt !== null) return { seen: "client-gives-up", endedAt: r.clientTimeoutAt };
  if (r.closedAt === null && closed === null) return { seen: "survives", endedAt: null };
  return { seen: null, endedAt: r.closedAt ?? closed };
}

const s = (ms: number | null) => (ms === null ? null : Math.round(ms) / 1000);

/** The broker's close of the late client against its model, from the packets that reached it. */
function kickWindowCheck(ctx: ScenarioContext, c: FleetClient, plan: LivePlan, endedAt: number) {
  const r = c.records()[0];
  if (!r) return;
  const trace = ctx.trace();
  const connect = trace.find((e) => e.type === "connect" && e.clientId === r.clientId);
  // Embedded: the broker's own record. External: the client's sends, each arriving one latency later.
  // (the CONNECT arrived one latency before the CONNACK came back)
  const connectAt = connect?.at ?? (r.connectedAt ?? 0) - plan.latencyMs;
  const inboundAt = connect
    ? trace
        .filter((e): e is Extract<TraceEvent, { type: "packet-in" }> => e.type === "packet-in")
        .filter((e) => e.clientId === r.clientId && e.at > connect.at)
        .map((e) => e.at)
    : r.events.filter((e) => e.dir === "out" && e.packet !== "connect").map((e) => e.at + plan.latencyMs);
  const window = predictKickWindow(ctx.profile, { keepaliveMs: r.keepaliveMs, connectAt, inboundAt });
  const tol = toleranceMs(ctx.clock.scale) + (connect ? 0 : 2 * plan.jitterMs);
  const last = Math.max(connectAt, ...inboundAt.filter((t) => t < endedAt));
  ctx.check({
    code: "broker-closed",
    ok: window !== null && endedAt >= window.earliestMs - tol && endedAt <= window.latestMs + tol,
    essential: false,
    args: {
      clientId: r.clientId,
      afterS: s(endedAt - last),
      fromS: window ? s(window.earliestMs - last) : null,
      toS: window ? s(window.latestMs - last) : null,
      toleranceS: s(tol),
    },
  });
}

/**
 * high-latency: latency and jitter on the link make PINGREQs arrive late (and PINGRESPs come back late). Like
 * keepalive-budget, the model's sweep says which one-way latency (at a jitter) the configuration survives and who
 * gives up first past it — the broker (its keepalive) or the client (MQTT.js's own) — and two live clients check
 * both ends: one just inside the budget that must survive, one past it that must end as predicted.
 */
export const highLatency: ScenarioDefinition = {
  name: "high-latency",
  description:
    "latency ± jitter on the link: the largest one-way delay a keepalive configuration survives, and who gives up first past it",
  behaviours: ["healthy"],
  explanation: "latency-eats-keepalive",
  expected,
  durationMs,
  async run(ctx) {
    const { ka, budget, survivor, late } = plan(ctx.profile, ctx.options);
    const [survivorClient, lateClient] = await Promise.all([
      startLive(ctx, survivor, "survivor"),
      startLive(ctx, late, "late"),
    ]);
    const start = ctx.clock.now();
    const lateDone = () => lateClient !== undefined && seenOf(ctx, lateClient).endedAt !== null;
    const l = 2 * (late.latencyMs + late.jitterMs);
    await ctx.waitUntil(
      lateDone,
      l + ka + Math.max(latestKickMs(ctx, ka), 1.5 * ka) + toleranceMs(ctx.clock.scale),
      "the late client's end",
      `${late.latencyMs} ± ${late.jitterMs} ms each way, expected: ${late.expected}`,
    );
    if (survivor) {
      const d = 2 * (survivor.latencyMs + survivor.jitterMs);
      const end = start + SURVIVOR_GAPS * (ka + d) + 1000;
      await ctx.waitUntil(() => ctx.clock.now() >= end, end - ctx.clock.now(), "the survivor's pings");
    }
    const live: LiveLatencyClient[] = [];
    for (const [c, p] of [
      [survivorClient, survivor],
      [lateClient, late],
    ] as const) {
      const r = c?.records()[0];
      if (!c || !p || !r) continue;
      const { seen, endedAt } = seenOf(ctx, c);
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
        ok: p.expected === "depends" ? seen !== null && seen !== "survives" : seen === p.expected,
        essential: true,
        args: {
          clientId: r.clientId,
          latencyS: s(p.latencyMs),
          jitterS: s(p.jitterMs),
          expected: p.expected,
          seen,
          endedAtS: s(endedAt),
        },
      });
      if (seen === "broker-kicks" && endedAt !== null) kickWindowCheck(ctx, c, p, endedAt);
    }
    const result: LatencyBudget = { ...budget, live };
    ctx.setNetworkOutcome({ latency: result });
  },
};
