import type { ProfileOptions } from "../core/profile.js";
import type { ClientRecord } from "../fleet/types.js";
import { DEFAULT_LOOP_INTERVAL_MS } from "../keepalive/clients/types.js";
import {
  clientLibraryJson,
  clientLibraryLines,
  clientLibrarySummary,
} from "../report/client-library-lines.js";
import { clientLibraryOptions, DEFAULT_CLIENT_LIBRARY } from "./client-library-options.js";
import type { ClientLibraryOutcome } from "./client-library-outcome.js";
import { forecastFor, libraryOf, observeMs, watchLibrary } from "./client-library-watch.js";
import { librarySpec, loopIntervalOf, subjectProtocol, subjectRealTime } from "./client-subject.js";
import { outcomeKind } from "./outcome-kind.js";
import { kickSequence, peerGoneSequence } from "./sequences.js";
import type { Expectation, ScenarioContext, ScenarioDefinition, ScenarioOptions } from "./types.js";

export const clientLibraryOutcome = outcomeKind<ClientLibraryOutcome>({
  lines: (value, _result, width) => clientLibraryLines(value, width),
  summary: (value) => clientLibrarySummary(value),
  json: (value) => clientLibraryJson(value),
});

function expected(p: ProfileOptions, o: ScenarioOptions): Expectation {
  const f = forecastFor(p, o);
  const first = f.firstToAct;
  // where it ends in some phases only, a run may go either way: its check says whether this one fits the forecast
  if (f.dependsOnPhase) return { seen: [], absent: [] };
  if (first === "broker") return { seen: kickSequence(p), absent: [] };
  if (first === "client") return { seen: peerGoneSequence(p), absent: ["keepalive-timeout"] };
  if (first === "nobody") return { seen: [], absent: ["keepalive-timeout"] };
  return { seen: [], absent: [] };
}

/** The subject: the real library where it runs here (real time), its model otherwise. */
async function startSubject(ctx: ScenarioContext<ClientLibraryOutcome>): Promise<ClientRecord | undefined> {
  const id = ctx.options.clientLibrary ?? DEFAULT_CLIENT_LIBRARY;
  // the default (no --client) is MQTT.js's model, not the real one: quick, on the scaled clock
  const version = subjectProtocol(ctx.profile, id);
  const spec = await librarySpec(id, subjectRealTime(ctx.options), loopIntervalOf(ctx.options), version);
  const fleet = await ctx.startFleet(spec, 1, id);
  return fleet.clients[0]?.records()[0];
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
    const start = record.connectedAt ?? ctx.clock.now();
    const { seen, check } = await watchLibrary(ctx, record, model, forecast);
    ctx.check(check);
    ctx.report({
      library: {
        id: model.id,
        name: model.name,
        version: record.library?.version ?? model.versions,
        real: record.library?.real ?? false,
        ...(record.library?.notRealBecause === undefined
          ? {}
          : { notRealBecause: record.library.notRealBecause }),
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
