import type { ProfileOptions } from "../core/profile.js";
import { largestSafeIntervalMs, smallestAlwaysKickedIntervalMs } from "../keepalive/predict.js";
import { hasTickFault } from "../keepalive/tick-fault.js";
import { budgetJson, budgetLines } from "../report/keepalive-budget-lines.js";
import { clientLibraryOptions } from "./client-library-options.js";
import { forecastFor, observeMs, watchLibrary } from "./client-library-watch.js";
import {
  librarySpec,
  loopIntervalOf,
  namedLibrary,
  subjectLibrary,
  subjectRealTime,
} from "./client-subject.js";
import type { KeepaliveBudget } from "./keepalive-budget-outcome.js";
import { kickCheck } from "./kick-check.js";
import { onTimeCheck, onTimePlan, waitOnTime } from "./on-time-client.js";
import { outcomeKind } from "./outcome-kind.js";
import { toleranceMs } from "./time-scale.js";
import type { ScenarioDefinition, ScenarioOptions } from "./types.js";
import { waitAllClosed } from "./wait-closed.js";

export const budgetOutcome = outcomeKind<KeepaliveBudget>({
  lines: (b, _result, width) => budgetLines(b, width),
  json: budgetJson,
  summary: (b) => (budgetLines(b, Number.MAX_SAFE_INTEGER)[0] ?? "").trim(),
});

/** Gaps the survivor keeps: enough to span several of the profile's ticks/sweeps. */
const SURVIVOR_GAPS = 3;

/** The sweep: 0.5 × to 3 × keepalive in quarter steps, classified by the model. */
export function keepaliveBudget(p: ProfileOptions, keepaliveMs: number): KeepaliveBudget {
  const safe = largestSafeIntervalMs(p, keepaliveMs);
  const kicked = smallestAlwaysKickedIntervalMs(p, keepaliveMs);
  const sweep: KeepaliveBudget["sweep"] = [];
  for (let m = 0.5; m <= 3.0001; m += 0.25) {
    const intervalMs = Math.round(m * keepaliveMs);
    sweep.push({
      intervalMs,
      outcome: intervalMs <= safe ? "survives" : intervalMs >= kicked ? "kicked" : "depends-on-phase",
    });
  }
  return {
    keepaliveMs,
    largestSafeMs: Number.isFinite(safe) ? safe : null,
    smallestKickedMs: Number.isFinite(kicked) ? kicked : null,
    sweep,
  };
}

function plan(p: ProfileOptions, o: ScenarioOptions, scale: number) {
  const ka = o.keepaliveS * 1000;
  const b = keepaliveBudget(p, ka);
  const margin = Math.max(toleranceMs(scale), 0.03 * ka);
  const fault = hasTickFault(p.tickFault);
  const safe = b.largestSafeMs;
  // A simulated fast tick can leave less than the margin: then half the safe interval.
  const survivorMs = safe === null ? ka : fault ? Math.max(safe - margin, safe / 2) : safe - margin;
  const kickedMs = b.smallestKickedMs === null ? null : b.smallestKickedMs + margin;
  // Its first ping on time (1 × keepalive) unless a simulated fast tick makes even that gap unsafe.
  const survivorOnTime = !fault || safe === null || ka <= safe - margin;
  return { ka, b, survivorMs, kickedMs, survivorOnTime, onTime: onTimePlan(p, ka) };
}

/** Sweeps ping intervals under the profile's model and checks both ends with real clients. */
export const keepaliveBudgetScenario: ScenarioDefinition<KeepaliveBudget> = {
  name: "keepalive-budget",
  // --client: an idle client of that library beside the sweep's (real where it runs here, on real time)
  options: clientLibraryOptions,
  realTime: (_p, o) => subjectRealTime(o),
  behaviours: ["late-ping", "real-library", "library-model"],
  explanation:
    "ping at most every `largest safe` interval: the number behind lowering the client's keepalive (or, on NanoMQ, raising mqtt.keepalive_multiplier)",
  outcome: budgetOutcome,
  expected: () => ({ seen: [{ id: "keepalive-timeout" }], absent: [] }),
  durationMs(p, o) {
    const { ka, survivorMs, kickedMs, onTime } = plan(p, o, 50);
    const onTimeMs = onTime === undefined ? 0 : onTime.lastPacketMs + 2000 - ka;
    const libraryMs = namedLibrary(o) ? observeMs(p, o) : 0;
    return Math.max(
      ka + Math.max(SURVIVOR_GAPS * survivorMs, (kickedMs ?? 0) + (kickedMs ?? 0), onTimeMs) + 2000,
      libraryMs,
    );
  },
  async run(ctx) {
    const { ka, b, survivorMs, kickedMs, survivorOnTime, onTime } = plan(
      ctx.profile,
      ctx.options,
      ctx.clock.scale,
    );
    ctx.report(b);
    const model = namedLibrary(ctx.options);
    const subject = model
      ? (
          await ctx.startFleet(await librarySpec(model.id, true, loopIntervalOf(ctx.options)), 1, model.id)
        ).clients[0]?.records()[0]
      : undefined;
    const survivor = await ctx.startFleet(
      { behaviour: "late-ping", intervalMs: survivorMs, ...(survivorOnTime ? {} : { pingOnTime: false }) },
      1,
    );
    // Under a simulated tick fault only: a client pinging every keepalive exactly, against the model's verdict.
    const onTimeFleet =
      onTime === undefined
        ? undefined
        : await ctx.startFleet({ behaviour: "late-ping", intervalMs: ka }, 1, "on-time");
    const late =
      kickedMs === null
        ? undefined
        : await ctx.startFleet({ behaviour: "late-ping", intervalMs: kickedMs }, 1);
    const lateRecords = () => late?.records() ?? [];
    await waitAllClosed(ctx, lateRecords, ka + 2 * (kickedMs ?? 0), "the kick of the late pinger");
    const survivorEnd = (survivorOnTime ? ka : 0) + SURVIVOR_GAPS * survivorMs + 1000;
    await ctx.waitUntil(() => ctx.clock.now() >= survivorEnd, survivorEnd, "the survivor's pings");
    for (const r of survivor.records()) {
      ctx.check({
        code: "survived",
        ok: r.closedBy === null,
        essential: true,
        args: { clientId: r.clientId, intervalS: survivorMs / 1000, gaps: SURVIVOR_GAPS },
      });
    }
    for (const r of lateRecords()) ctx.check(kickCheck(ctx, r));
    if (onTime && onTimeFleet) {
      await waitOnTime(ctx, () => onTimeFleet.records(), onTime);
      for (const r of onTimeFleet.records()) ctx.check(onTimeCheck(ctx, r, onTime));
    }
    // the library's client: who acts first (and when the broker kicks) as its model says against this broker
    const identity = subjectLibrary(ctx.options, subject);
    if (model && subject && identity) {
      const forecast = forecastFor(ctx.profile, ctx.options);
      const { seen, check } = await watchLibrary(ctx, subject, model, forecast);
      ctx.check(check);
      ctx.report({
        ...b,
        library: {
          ...identity,
          pingGapMs: forecast.pingGapMs,
          expectedFirst: forecast.firstToAct,
          seenFirst: seen.first,
          kickedAtMs: seen.kickedAtMs,
        },
      });
    }
  },
};
