import type { TraceEvent } from "../broker/types.js";
import { formatSeconds, secondsOrNull as s } from "../core/seconds.js";
import type { ClientRecord } from "../fleet/types.js";
import { predictKickWindow } from "../keepalive/predict.js";
import type { Relay } from "../link/index.js";
import { halfOpenJson, halfOpenLines } from "../report/half-open-lines.js";
import { clientLibraryOptions } from "./client-library-options.js";
import { markOwnEnd, subjectLibrary, subjectRealTime, subjectSpec } from "./client-subject.js";
import { type HalfOpenOutcome, LINUX_TCP_KEEPALIVE } from "./half-open-outcome.js";
import { latestKickMs } from "./kick-check.js";
import { externalKickWindow } from "./kick-window-external.js";
import { mergeLink } from "./network-link.js";
import { outcomeKind } from "./outcome-kind.js";
import { kickSequence } from "./sequences.js";
import { toleranceMs } from "./time-scale.js";
import type { ScenarioContext, ScenarioDefinition, ScenarioOptions } from "./types.js";

/** The link dies half a keepalive after the client's first on-time PINGREQ (answered), so the broker saw it alive. */
const SILENT_AT_KA = 1.5;

/** The link's faults: the scenario's stall for good, with the user's link faults merged (--stall-at moves it). */
const linkOf = (o: ScenarioOptions) =>
  mergeLink(
    [
      {
        kind: "stall",
        direction: "both",
        atMs: SILENT_AT_KA * o.keepaliveS * 1000,
        forMs: null,
        release: "strand",
      },
    ],
    o.network?.link,
  );
/** Scenario ms after the link's start at which it goes silent. */
const silentAtMs = (o: ScenarioOptions) => linkOf(o).faults.find((f) => f.kind === "stall")?.atMs ?? 0;
/** Scenario ms after the silence until the broker has surely closed, with a margin. */
const waitMs = (ctx: Pick<ScenarioContext, "profile" | "clock">, keepaliveMs: number) =>
  latestKickMs(ctx, keepaliveMs) + toleranceMs(ctx.clock.scale) + 2000;

/** The times of the packets that reached the broker before `until`: its own trace (embedded) or the client's sends. */
function inbound(
  ctx: ScenarioContext,
  record: ClientRecord,
  until: number,
): { connectAt: number; at: number[]; own: boolean } {
  const trace = ctx.trace();
  const connect = trace.find((e) => e.type === "connect" && e.clientId === record.clientId);
  if (connect) {
    const at = trace
      .filter((e): e is Extract<TraceEvent, { type: "packet-in" }> => e.type === "packet-in")
      .filter((e) => e.clientId === record.clientId && e.at > connect.at && e.at < until)
      .map((e) => e.at);
    return { connectAt: connect.at, at, own: true };
  }
  // External: a packet arrives one link latency after it is sent (none unless --latency: loopback, under a ms),
  // the CONNECT one latency before the CONNACK came back; what was sent from the silence on never arrives.
  const latency = linkOf(ctx.options).faults.find((f) => f.kind === "latency");
  const delayMs = latency?.kind === "latency" ? latency.latencyMs : 0;
  const at = record.events
    .filter((e) => e.dir === "out" && e.packet !== "connect" && e.at + delayMs < until)
    .map((e) => e.at + delayMs);
  return { connectAt: (record.connectedAt ?? 0) - delayMs, at, own: false };
}

function brokerClosedAt(link: Relay | undefined): number | null {
  return link?.events().find((e) => e.kind === "broker-closed")?.at ?? null;
}

/** half-open's outcome: the broker's keepalive against the silent link, in the table and as `network.halfOpen`. */
export const halfOpenOutcome = outcomeKind<HalfOpenOutcome>({
  lines: halfOpenLines,
  json: (h) => ({ network: halfOpenJson(h) }),
});

/**
 * half-open: the client vanishes without FIN or RST (power loss, a pulled cable, a NAT mapping dropped): its link
 * stalls both ways for good and strands the connection. Only the broker's keepalive can end the connection and
 * its session; the client never learns of it (the broker's FIN is lost too). TCP keepalive is the second, much
 * slower net, and only where the broker turns SO_KEEPALIVE on (the report says so).
 */
export const halfOpen: ScenarioDefinition<HalfOpenOutcome> = {
  name: "half-open",
  // --client: the subject is that library (real where it runs here, on real time), its model otherwise
  options: clientLibraryOptions,
  realTime: (_p, o) => subjectRealTime(o),
  behaviours: ["healthy", "real-library", "library-model"],
  outcome: halfOpenOutcome,
  explanation:
    "a client that vanishes without FIN or RST leaves a half-open connection: nothing reaches the broker, so only its keepalive ends the connection and the session; TCP keepalive is a far slower second net, and only where SO_KEEPALIVE is on",
  expected: (p) => ({
    seen: kickSequence(p),
    absent: p.profile === "nanomq" ? [] : ["peer-closed"],
  }),
  durationMs: (p, o) => silentAtMs(o) + latestKickMs({ profile: p }, o.keepaliveS * 1000) + 3000,
  async run(ctx) {
    const ka = ctx.options.keepaliveS * 1000;
    const link = linkOf(ctx.options);
    const spec = await subjectSpec(ctx.options, { link });
    const fleet = await ctx.startFleet(spec, 1, "healthy");
    const client = fleet.clients[0];
    const record = client?.records()[0];
    if (!client || !record) return;
    const silentAt = (client.link?.startedAt ?? 0) + silentAtMs(ctx.options);
    // a real library's own end: whatever the broker did, its close never crossed the dead link
    const ownEnd = () => markOwnEnd(client, record, link, ctx.trace());
    await ctx.waitUntil(
      () => brokerClosedAt(client.link) !== null,
      silentAt - ctx.clock.now() + waitMs(ctx, ka),
      "the broker to end the half-open connection",
      () => `silent since ${formatSeconds(silentAt)}`,
    );
    const closedAt = brokerClosedAt(client.link);
    ownEnd();
    const seen = inbound(ctx, record, silentAt);
    const query = { keepaliveMs: ka, connectAt: seen.connectAt, inboundAt: seen.at };
    const window = seen.own ? predictKickWindow(ctx.profile, query) : externalKickWindow(ctx.profile, query);
    const lastInboundAt = seen.at.length > 0 ? Math.max(...seen.at) : seen.connectAt;
    const library = subjectLibrary(ctx.options, record);
    const outcome: HalfOpenOutcome = {
      clientId: record.clientId,
      ...(library ? { library } : {}),
      keepaliveMs: ka,
      silentAt,
      lastInboundAt,
      brokerClosedAt: closedAt,
      predictedFromMs: window?.earliestMs ?? null,
      predictedToMs: window?.latestMs ?? null,
      clientTimeoutAt: record.clientTimeoutAt,
      tcpKeepalive: LINUX_TCP_KEEPALIVE,
    };
    ctx.report(outcome);
    const tol = toleranceMs(ctx.clock.scale);
    ctx.check({
      code: "broker-closed",
      ok:
        window === null
          ? closedAt === null
          : closedAt !== null && closedAt >= window.earliestMs - tol && closedAt <= window.latestMs + tol,
      essential: true,
      args: {
        clientId: record.clientId,
        afterS: closedAt === null ? null : s(closedAt - lastInboundAt),
        fromS: window ? s(window.earliestMs - lastInboundAt) : null,
        toS: window ? s(window.latestMs - lastInboundAt) : null,
        toleranceS: s(tol),
      },
    });
    ctx.check({
      code: "client-outcome",
      ok: record.closedBy !== "broker",
      essential: true,
      args: {
        clientId: record.clientId,
        sawBrokerClose: record.closedBy === "broker",
        clientGaveUpAtS: s(record.clientTimeoutAt),
      },
    });
  },
};
