import type { ProfileOptions } from "../core/profile.js";
import type { ClientRecord } from "../fleet/types.js";
import { type OnTimeOutcome, periodicPingerOutcome } from "../keepalive/on-time.js";
import { predictKickWindow } from "../keepalive/predict.js";
import { hasTickFault } from "../keepalive/tick-fault.js";
import type { Check } from "./check.js";
import { kickCheck } from "./kick-check.js";
import type { ScenarioContext } from "./types.js";

/** PINGREQs the on-time client sends (every keepalive exactly) before the scenario stops looking. */
export const ON_TIME_PINGS = 6;

/** What the model says of a client pinging every keepalive exactly, ON_TIME_PINGS times after its CONNECT. */
export interface OnTimePlan {
  outcome: OnTimeOutcome;
  /** Its last PINGREQ, ms after its CONNECT. */
  lastPacketMs: number;
  keepaliveMs: number;
}

/**
 * The on-time client of keepalive-budget, planned only under a SIMULATED tick fault (nanomq --tick-jitter /
 * --tick-drift): without one the model never kicks a client that pings every keepalive (M ≥ 1), and the scenario
 * stays as it was.
 */
export function onTimePlan(p: ProfileOptions, keepaliveMs: number): OnTimePlan | undefined {
  if (p.profile !== "nanomq" || !hasTickFault(p.tickFault)) return undefined;
  const r = periodicPingerOutcome(p, keepaliveMs, keepaliveMs, ON_TIME_PINGS);
  return { outcome: r.outcome, lastPacketMs: r.lastPacketMs, keepaliveMs };
}

/** Waits until the on-time client is kicked or has sent its last planned PINGREQ (plus the tolerance). */
export async function waitOnTime(
  ctx: ScenarioContext,
  records: () => ClientRecord[],
  plan: OnTimePlan,
): Promise<void> {
  const endOf = (r: ClientRecord) => (r.connectedAt ?? 0) + plan.lastPacketMs + 1000;
  const done = () => records().every((r) => r.closedAt !== null || ctx.clock.now() >= endOf(r));
  await ctx.waitUntil(done, plan.lastPacketMs + 5000, "the on-time client's pings", `model: ${plan.outcome}`);
}

/**
 * Kicked: was it where the (widened) window says? Not kicked: fine unless the model, given the PINGREQs the broker
 * actually saw (a loaded machine may delay some), says every tick phase and jitter draw kicks it before the last.
 */
export function onTimeCheck(ctx: ScenarioContext, r: ClientRecord, plan: OnTimePlan): Check {
  if (r.closedBy === "broker") return kickCheck(ctx, r);
  const mine = ctx.trace().filter((e) => "clientId" in e && e.clientId === r.clientId);
  const connectAt = mine.find((e) => e.type === "connect")?.at;
  const inboundAt = mine.filter((e) => e.type === "packet-in" && e.at > (connectAt ?? 0)).map((e) => e.at);
  const lastAt = Math.max(connectAt ?? 0, ...inboundAt);
  const window =
    connectAt === undefined
      ? null
      : predictKickWindow(ctx.profile, { keepaliveMs: plan.keepaliveMs, connectAt, inboundAt });
  return {
    code: "survived",
    ok: window === null || window.latestMs > lastAt,
    essential: false,
    args: { clientId: r.clientId, intervalS: plan.keepaliveMs / 1000, gaps: inboundAt.length },
  };
}

/**
 * The runner's control client pings every keepalive too (MQTT.js, a little late at most): under a simulated tick
 * fault that can kick an on-time client, its kick is the fault at work, not a failure. `untilMs` = how long it ran,
 * `slackMs` = how late its pings may come.
 */
export function controlKickExpected(
  p: ProfileOptions,
  keepaliveS: number,
  untilMs: number,
  slackMs: number,
): boolean {
  if (p.profile !== "nanomq" || !hasTickFault(p.tickFault)) return false;
  const ka = keepaliveS * 1000;
  const pings = Math.max(1, Math.ceil(untilMs / ka));
  return [ka, ka + slackMs].some((i) => periodicPingerOutcome(p, ka, i, pings).outcome !== "survives");
}
