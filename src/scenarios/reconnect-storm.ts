import type { ProfileOptions } from "../core/profile.js";
import { secondsOrNull } from "../core/seconds.js";
import type { Fleet } from "../fleet/fleet.js";
import type { ReconnectPolicy } from "../fleet/reconnect-policy.js";
import type { ClientRecord } from "../fleet/types.js";
import { predictKickWindow } from "../keepalive/predict.js";
import { stormJson } from "../report/session-json.js";
import { stormLines, stormSummary } from "../report/session-lines.js";
import { outcomeKind } from "./outcome-kind.js";
import { kickSequence } from "./sequences.js";
import type { StormPhase } from "./session-outcome.js";
import { stormOptions } from "./storm-options.js";
import type { ScenarioContext, ScenarioDefinition, ScenarioOptions } from "./types.js";

/** Backoff + jitter when --reconnect does not say: 1 s doubling to 8 s, each wait cut by up to half. */
export const STORM_BACKOFF: ReconnectPolicy = {
  kind: "backoff",
  initialMs: 1000,
  maxMs: 8000,
  factor: 2,
  jitter: 0.5,
  seed: 1,
};

/** The phases: the user's --reconnect policy alone, or no backoff and then backoff + jitter. */
export function stormPolicies(o: ScenarioOptions): ReconnectPolicy[] {
  const user = o.network?.reconnect;
  return user ? [user] : [{ kind: "immediate" }, STORM_BACKOFF];
}

/** Scenario ms by which a client silent since its CONNECT is surely kicked (null: never). */
function kickByMs(p: ProfileOptions, o: ScenarioOptions): number {
  const w = predictKickWindow(p, { keepaliveMs: o.keepaliveS * 1000, connectAt: 0, inboundAt: [] });
  return (w?.latestMs ?? 3 * o.keepaliveS * 1000) + 2000;
}

/** Scenario ms a phase may take to bring everyone back once dropped. */
function backByMs(policy: ReconnectPolicy): number {
  switch (policy.kind) {
    case "none":
      return 1000;
    case "immediate":
      return 10_000 + 2 * (policy.retryMs ?? 1000);
    case "backoff":
      return 10_000 + 3 * policy.maxMs;
  }
}

function durationMs(p: ProfileOptions, o: ScenarioOptions): number {
  return stormPolicies(o).reduce((sum, policy) => sum + kickByMs(p, o) + backByMs(policy), 0);
}

/** reconnect-storm's outcome: one entry per phase, in the table and as `storm`. */
export const stormOutcome = outcomeKind<StormPhase[]>({
  lines: (phases, result, width) =>
    stormLines(phases, result.timeScale, width, result.eventTime !== undefined),
  json: stormJson,
  summary: (phases, result) =>
    `${result.eventTime ? "event-driven clock" : `clock ×${result.timeScale}`} (${result.timeScale > 1 ? "rates stretched" : "true rates"}): ${phases.map(stormSummary).join(" · ")}`,
});

/**
 * --clients clients (100 when --clients is not given) stay silent from their CONNECT, so the broker drops them together (NanoMQ's first tick,
 * mosquitto's sweep, the spec's 1.5 × keepalive), and come back as MQTT.js clients with the phase's reconnect
 * policy: with no backoff, and with backoff + jitter (or only the --reconnect policy given). Per phase: the
 * connects per second the broker saw, the time until all are back, and the takeovers and refused attempts.
 */
export const reconnectStorm: ScenarioDefinition<StormPhase[]> = {
  name: "reconnect-storm",
  options: stormOptions,
  behaviours: ["late-ping"],
  outcome: stormOutcome,
  explanation:
    "clients dropped together come back together: with no backoff the broker sees them all within a moment; backoff with jitter spreads the connects over the first wait",
  expected: (p) => ({ seen: kickSequence(p), absent: [] }),
  durationMs,
  async run(ctx) {
    const phases: StormPhase[] = [];
    for (const policy of stormPolicies(ctx.options)) {
      const label = policy.kind;
      const fleet = await ctx.startFleet(
        {
          behaviour: "late-ping",
          pingOnTime: false,
          intervalMs: null,
          reconnect: policy,
          // A thousand handshakes take a real second or two: on a fast clock that is many clock seconds.
          answerTimeoutMs: Math.max(10_000, 5000 * ctx.clock.scale),
        },
        ctx.options.stormClients ?? ctx.options.clients,
        label,
      );
      const phase = await runPhase(ctx, fleet, policy, label);
      phases.push(phase);
      await fleet.stop();
      ctx.check({
        code: "client-outcome",
        ok: policy.kind === "none" ? phase.back === 0 : phase.back === phase.clients,
        essential: true,
        args: {
          clientId: `mqdiag-reconnect-storm-${label}-*`,
          policy: policy.kind,
          clients: phase.clients,
          back: phase.back,
          allBackS: secondsOrNull(phase.allBackMs, 1),
          peakRatePerSecond: phase.peakRatePerSecond,
          refused: phase.refused,
          takeovers: phase.takeovers,
        },
      });
    }
    ctx.report(phases);
  },
};

async function runPhase(
  ctx: ScenarioContext,
  fleet: Fleet,
  policy: ReconnectPolicy,
  label: string,
): Promise<StormPhase> {
  const startedAt = ctx.clock.now();
  // Handshakes take real time (a few ms each here): on a fast clock a large fleet needs that many more clock ms.
  const realSlackMs = ctx.clock.scale * (2000 + 3 * fleet.clients.length);
  const mains = (): ClientRecord[] => fleet.clients.map((c) => c.records()[0]).filter((r) => r !== undefined);
  const n = fleet.clients.length;
  const dropped = () => mains().filter((r) => r.closedAt !== null).length;
  const back = () => mains().filter((r) => r.reconnectedAt.length > 0).length;
  await ctx.waitUntil(
    () => dropped() === n,
    kickByMs(ctx.profile, ctx.options) + realSlackMs,
    `${label}: the broker to drop ${n} clients`,
    () => `${dropped()} dropped`,
  );
  if (policy.kind !== "none")
    await ctx.waitUntil(
      () => back() === n,
      backByMs(policy) + realSlackMs,
      `${label}: ${n} clients to come back`,
      () => `${back()} of ${n} back`,
    );
  const records = mains();
  const drops = records.flatMap((r) => (r.closedAt === null ? [] : [r.closedAt]));
  const firstDropAt = drops.length ? Math.min(...drops) : null;
  const lastDropAt = drops.length ? Math.max(...drops) : null;
  const backs = records.flatMap((r) => r.reconnectedAt.slice(0, 1));
  const allBackAt = backs.length === n && n > 0 ? Math.max(...backs) : null;
  const prefix = `mqdiag-reconnect-storm-${label}-`;
  const brokerConnects = ctx
    .trace()
    .flatMap((e) =>
      e.type === "connect" && e.clientId.startsWith(prefix) && e.at >= startedAt ? [e.at] : [],
    );
  // The broker's own count when it is the embedded one; else the CONNACKs the clients got after the drop.
  const source = ctx.external ? "clients" : "broker";
  const connects = source === "broker" ? brokerConnects : records.flatMap((r) => r.reconnectedAt);
  const from = firstDropAt ?? startedAt;
  const perSecond: number[] = [];
  for (const at of connects) {
    if (at < from) continue;
    const k = Math.floor((at - from) / 1000);
    while (perSecond.length <= k) perSecond.push(0);
    perSecond[k] = (perSecond[k] ?? 0) + 1;
  }
  const tenths = new Map<number, number>();
  for (const at of connects)
    if (at >= from)
      tenths.set(Math.floor((at - from) / 100), (tenths.get(Math.floor((at - from) / 100)) ?? 0) + 1);
  const note = (r: ClientRecord, key: string) => Number(r.notes[key] ?? 0);
  return {
    policy: policy.kind,
    clients: n,
    firstDropAt,
    lastDropAt,
    back: backs.length,
    allBackAt,
    allBackMs: allBackAt !== null && firstDropAt !== null ? allBackAt - firstDropAt : null,
    connectsPerSecond: perSecond,
    peakRatePerSecond: 10 * Math.max(0, ...tenths.values()),
    connectSource: source,
    attempts: records.reduce((sum, r) => sum + note(r, "reconnectAttempts"), 0),
    refused: records.reduce((sum, r) => sum + note(r, "reconnectFailures"), 0),
    takeovers: ctx
      .signatures()
      .filter((s) => s.id === "takeover" && s.at >= startedAt && (s.clientId?.startsWith(prefix) ?? true))
      .length,
  };
}
