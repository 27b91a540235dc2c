import type { ProfileOptions } from "../core/profile.js";
import { secondsOrNull } from "../core/seconds.js";
import type { ClientRecord } from "../fleet/types.js";
import { clientModel } from "../keepalive/clients/catalogue.js";
import { DEFAULT_LOOP_INTERVAL_MS } from "../keepalive/clients/types.js";
import { type ClientVersusBroker, clientVersusBroker } from "../keepalive/clients/versus-broker.js";
import { clientLibraryJson, clientLibraryLines } from "../report/client-library-lines.js";
import { clientLibraryOptions, DEFAULT_CLIENT_LIBRARY } from "./client-library-options.js";
import type { ClientLibraryOutcome, SeenFirst } from "./client-library-outcome.js";
import { librarySpec, loopIntervalOf, subjectRealTime } from "./client-subject.js";
import { outcomeKind } from "./outcome-kind.js";
import { kickSequence, peerGoneSequence } from "./sequences.js";
import { toleranceMs } from "./time-scale.js";
import type { Expectation, ScenarioContext, ScenarioDefinition, ScenarioOptions } from "./types.js";

export const clientLibraryOutcome = outcomeKind<ClientLibraryOutcome>({
  lines: (value, _result, width) => clientLibraryLines(value, width),
  json: (value) => clientLibraryJson(value),
});

function libraryOf(o: ScenarioOptions) {
  return clientModel(o.clientLibrary ?? DEFAULT_CLIENT_LIBRARY);
}

/** The model's forecast for this library against this profile, at the run's keepalive and loop. */
export function forecastFor(p: ProfileOptions, o: ScenarioOptions): ClientVersusBroker {
  return clientVersusBroker(
    libraryOf(o),
    {
      keepaliveMs: o.keepaliveS * 1000,
      oneWayLatencyMs: 0,
      loopIntervalMs: o.loopIntervalMs ?? DEFAULT_LOOP_INTERVAL_MS,
    },
    p,
  );
}

/** Scenario ms to watch: past the forecast's last action, or a few keepalives when nobody should act. */
function observeMs(p: ProfileOptions, o: ScenarioOptions): number {
  const f = forecastFor(p, o);
  const ka = o.keepaliveS * 1000;
  const loop = o.loopIntervalMs ?? DEFAULT_LOOP_INTERVAL_MS;
  const latest = Math.max(f.brokerKicksAtMs?.maxMs ?? 0, f.clientGivesUpAtMs?.maxMs ?? 0);
  const quiet = Math.max(4 * ka, 3 * (f.pingGapMs?.maxMs ?? ka));
  return f.firstToAct === "nobody" ? quiet : Math.max(latest + loop + 2000, ka);
}

function expected(p: ProfileOptions, o: ScenarioOptions): Expectation {
  const first = forecastFor(p, o).firstToAct;
  if (first === "broker") return { seen: kickSequence(p), absent: [] };
  if (first === "client") return { seen: peerGoneSequence(p), absent: ["keepalive-timeout"] };
  if (first === "nobody") return { seen: [], absent: ["keepalive-timeout"] };
  return { seen: [], absent: [] };
}

/** The subject: the real library where it runs here (real time), its model otherwise. */
async function startSubject(ctx: ScenarioContext<ClientLibraryOutcome>): Promise<ClientRecord | undefined> {
  const id = ctx.options.clientLibrary ?? DEFAULT_CLIENT_LIBRARY;
  // the default (no --client) is MQTT.js's model, not the real one: quick, on the scaled clock
  const spec = await librarySpec(id, subjectRealTime(ctx.options), loopIntervalOf(ctx.options));
  const fleet = await ctx.startFleet(spec, 1, id);
  return fleet.clients[0]?.records()[0];
}

function seenOf(
  ctx: ScenarioContext<ClientLibraryOutcome>,
  record: ClientRecord,
): ClientLibraryOutcome["seen"] {
  const trace = ctx.trace();
  const connect = trace.find((e) => e.type === "connect" && e.clientId === record.clientId);
  const t0 = connect?.at ?? record.connectedAt ?? 0;
  const kick = trace.find((e) => e.type === "kick" && e.clientId === record.clientId);
  // an external broker's kick line: naming the subject, or naming no client (NanoMQ at warn) — the control is
  // never kicked, so an unnamed kick line in this scenario is the subject's
  const line = ctx
    .signatures()
    .find((s) => s.id === "keepalive-timeout" && (s.clientId === record.clientId || s.clientId === null));
  const kickedAt = kick?.at ?? line?.at ?? null;
  const pings = trace
    .filter((e) => e.type === "packet-in" && e.packet === "pingreq" && e.clientId === record.clientId)
    .map((e) => e.at);
  const gaps = [t0, ...pings].slice(1).map((at, i) => at - ([t0, ...pings][i] ?? t0));
  const ended = record.clientTimeoutAt ?? record.closedAt;
  const first: SeenFirst =
    kickedAt !== null && (ended === null || kickedAt <= ended)
      ? "broker"
      : ended !== null
        ? "client"
        : "nobody";
  const lost = record.notes.lost;
  return {
    first,
    kickedAtMs: kickedAt === null ? null : kickedAt - t0,
    clientEndedAtMs: ended === null ? null : ended - t0,
    lost: typeof lost === "string" ? lost : null,
    pingGapsMs: gaps,
  };
}

export const clientLibrary: ScenarioDefinition<ClientLibraryOutcome> = {
  name: "client-library",
  options: clientLibraryOptions,
  behaviours: ["real-library", "library-model"],
  explanation:
    "a client library pings on its own rule (from its last send, receive or PINGRESP, on whole seconds, from the application's loop); the broker counts only what arrives, so a rule that pings late for this broker's window gets the client kicked",
  expected: (p, o) => expected(p, o),
  durationMs: (p, o) => observeMs(p, o),
  // a named library runs for real where it can, on real time; the default (MQTT.js's model) on the scaled clock
  realTime: (_p, o) => subjectRealTime(o),
  outcome: clientLibraryOutcome,
  async run(ctx) {
    const model = libraryOf(ctx.options);
    const forecast = forecastFor(ctx.profile, ctx.options);
    const record = await startSubject(ctx);
    if (!record) return;
    const watchMs = observeMs(ctx.profile, ctx.options);
    const start = record.connectedAt ?? ctx.clock.now();
    await ctx.waitUntil(
      () => seenOf(ctx, record).first !== "nobody" && (record.closedAt !== null || ctx.external),
      Math.max(0, start + watchMs - ctx.clock.now()),
      forecast.firstToAct === "nobody" ? "nothing (it should survive)" : `the ${forecast.firstToAct} to act`,
    );
    const seen = seenOf(ctx, record);
    // a real library's program only says that its connection ended: the broker's record says who ended it
    if (record.closedAt !== null && record.closedBy === null && seen.first !== "nobody")
      record.closedBy = seen.first;
    const tol = toleranceMs(ctx.clock.scale) + (ctx.options.loopIntervalMs ?? DEFAULT_LOOP_INTERVAL_MS);
    const kickWindow = forecast.brokerKicksAtMs;
    const inWindow =
      seen.kickedAtMs === null || kickWindow === null
        ? null
        : seen.kickedAtMs >= kickWindow.minMs - tol && seen.kickedAtMs <= kickWindow.maxMs + tol;
    const expectedFirst = forecast.firstToAct;
    const ok =
      expectedFirst === "tie" ? seen.first !== "nobody" : seen.first === expectedFirst && inWindow !== false;
    ctx.check({
      code: "client-outcome",
      ok,
      essential: true,
      args: {
        clientId: record.clientId,
        library: model.id,
        real: record.library?.real ?? false,
        expectedFirst,
        seenFirst: seen.first,
        kickedAtS: secondsOrNull(seen.kickedAtMs),
        ...(kickWindow ? { kickFromS: kickWindow.minMs / 1000, kickToS: kickWindow.maxMs / 1000 } : {}),
      },
    });
    ctx.report({
      library: {
        id: model.id,
        name: model.name,
        version: record.library?.version ?? model.versions,
        real: record.library?.real ?? false,
      },
      rule: model.rule,
      keepaliveMs: ctx.options.keepaliveS * 1000,
      loopIntervalMs: ctx.options.loopIntervalMs ?? DEFAULT_LOOP_INTERVAL_MS,
      forecast,
      seen,
      observedMs: ctx.clock.now() - start,
    });
  },
};
