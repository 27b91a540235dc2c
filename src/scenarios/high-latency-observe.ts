import type { TraceEvent } from "../broker/types.js";
import { secondsOrNull } from "../core/seconds.js";
import type { FleetClient } from "../fleet/types.js";
import { predictKickWindow } from "../keepalive/predict.js";
import type { LatencyOutcome, LivePlan } from "./latency-budget.js";
import { toleranceMs } from "./time-scale.js";
import type { ScenarioContext } from "./types.js";

/** What high-latency's live clients did, read from the broker's trace (embedded), its log, or the link. */

export const brokerClosedAt = (c: FleetClient) =>
  c.link?.events().find((e) => e.kind === "broker-closed")?.at ?? null;

/**
 * What became of one live client: the broker's own record when embedded; else its log line, or the link: a broker
 * that closed its side before the client's FIN could have crossed the link (one minimum delay after the client
 * gave up) closed on its own — its keepalive.
 */
export function seenOf(
  ctx: ScenarioContext,
  c: FleetClient,
  plan: LivePlan,
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
    const finArrives =
      (r.clientTimeoutAt ?? Number.POSITIVE_INFINITY) + Math.max(0, plan.latencyMs - plan.jitterMs);
    if (closed !== null && closed < finArrives) return { seen: "broker-kicks", endedAt: closed };
  }
  if (r.clientTimeoutAt !== null) return { seen: "client-gives-up", endedAt: r.clientTimeoutAt };
  if (r.closedAt === null && closed === null) return { seen: "survives", endedAt: null };
  return { seen: null, endedAt: r.closedAt ?? closed };
}

/** The broker's close of the late client against its model, from the packets that reached it. */
export function kickWindowCheck(ctx: ScenarioContext, c: FleetClient, plan: LivePlan, endedAt: number) {
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
      afterS: secondsOrNull(endedAt - last),
      fromS: window ? secondsOrNull(window.earliestMs - last) : null,
      toS: window ? secondsOrNull(window.latestMs - last) : null,
      toleranceS: secondsOrNull(tol),
    },
  });
}
