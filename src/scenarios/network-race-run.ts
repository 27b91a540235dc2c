import type { ProfileOptions } from "../core/profile.js";
import type { ReconnectPolicy } from "../fleet/reconnect-policy.js";
import type { FleetClient } from "../fleet/types.js";
import type { ClientConditions, ClientModel } from "../keepalive/clients/types.js";
import { directionsOf, type LinkFault, type LinkSpec } from "../link/types.js";
import { sec } from "../report/network-race-words.js";
import { raceJson } from "../report/race-json.js";
import { raceLines } from "../report/race-lines.js";
import { withClientOptions } from "./client-library-options.js";
import {
  loopIntervalOf,
  markOwnEnd,
  namedLibrary,
  subjectLibrary,
  subjectRealTime,
  subjectSpec,
} from "./client-subject.js";
import { mergeLink } from "./network-link.js";
import type { KeepaliveRace, RacePrediction } from "./network-outcome.js";
import { raceChecks } from "./network-race-checks.js";
import { type LibraryRacePhase, libraryRacePhases, mergePhases } from "./network-race-library.js";
import {
  brokerInbound,
  brokerSettled,
  faultAt,
  firstGiveUp,
  lastReschedule,
  type RaceEvidence,
  raceTimeline,
  seenRace,
} from "./network-race-observe.js";
import { firstReconnectWait, nominalSchedule, predictRace, type Span } from "./network-race-predict.js";
import { outcomeKind } from "./outcome-kind.js";
import { reconnectOptions } from "./reconnect-options.js";
import type { ScenarioContext, ScenarioOptions } from "./types.js";

/** network-stall's and pingresp-lost's outcome: the keepalive race, in the table and as `network.race`. */
export const raceOutcome = outcomeKind<KeepaliveRace>({
  lines: (race, _result, width) => raceLines(race, width),
  json: raceJson,
  // its first line: who gave up first, when, and the model's call
  summary: (race) => (raceLines(race, Number.MAX_SAFE_INTEGER)[0] ?? "").trim(),
});

/** The race scenarios' own options: --reconnect's and --client's (the client that races). */
export const raceOptions = withClientOptions(reconnectOptions);

/** A race scenario: its own link faults for a keepalive and a reconnect policy (the user's link merged in). */
export interface RaceDefinition {
  ownFaults(keepaliveMs: number, reconnect: ReconnectPolicy): LinkFault[];
}

/** The default reconnect of a race: at once, as a client that notices its link is dead would. */
export const RACE_DEFAULT_RECONNECT: ReconnectPolicy = { kind: "immediate" };

export function raceReconnect(o: ScenarioOptions): ReconnectPolicy {
  return o.network?.reconnect ?? RACE_DEFAULT_RECONNECT;
}

export function raceLink(def: RaceDefinition, o: ScenarioOptions): LinkSpec {
  return mergeLink(def.ownFaults(o.keepaliveS * 1000, raceReconnect(o)), o.network?.link);
}

/** When the link stops carrying bytes each way, whether new connections pass, and when the fault ends. */
interface LinkShape {
  toClientFrom: number | null;
  toBrokerFrom: number | null;
  newConnectionsPass: boolean;
  endsAt: number | null;
  /** A FIN towards the broker is held this long (null: for good). */
  finDelayMs: number | null;
}

function linkShape(link: LinkSpec): LinkShape {
  const shape: LinkShape = {
    toClientFrom: null,
    toBrokerFrom: null,
    newConnectionsPass: true,
    endsAt: null,
    finDelayMs: 0,
  };
  const min = (a: number | null, b: number) => (a === null ? b : Math.min(a, b));
  for (const f of link.faults) {
    if (f.kind === "stall") {
      const at = f.atMs ?? 0;
      const ways = directionsOf(f.direction);
      if (ways.includes("to-client")) shape.toClientFrom = min(shape.toClientFrom, at);
      if (ways.includes("to-broker")) {
        shape.toBrokerFrom = min(shape.toBrokerFrom, at);
        shape.finDelayMs = null;
      }
      if (f.scope !== "existing") shape.newConnectionsPass = false;
      if (f.forMs !== null && f.forMs !== undefined) shape.endsAt = at + f.forMs;
    } else if (f.kind === "drop") {
      const at = f.atMs ?? 0;
      if (f.packet === "pingresp") shape.toClientFrom = min(shape.toClientFrom, at);
      else shape.toBrokerFrom = min(shape.toBrokerFrom, at);
    } else if (f.kind === "slow-close" && directionsOf(f.direction).includes("to-broker")) {
      if (shape.finDelayMs !== null) shape.finDelayMs += f.delayMs;
    }
  }
  return shape;
}

/** The reconnect's arrival at the broker after the client gave up, as the link and the policy allow. */
function reconnectSpan(shape: LinkShape, policy: ReconnectPolicy): Span | null {
  const wait = firstReconnectWait(policy);
  if (wait === null) return null;
  if (!shape.newConnectionsPass && shape.endsAt === null) return null;
  return wait;
}

/** The forecast before the run, from the nominal schedule (CONNACK at 0, pings answered at once). */
export function raceForecast(
  def: RaceDefinition,
  p: ProfileOptions,
  o: ScenarioOptions,
  scale = 1,
): RacePrediction {
  const keepaliveMs = o.keepaliveS * 1000;
  const reconnect = raceReconnect(o);
  const shape = linkShape(raceLink(def, o));
  const common = {
    profile: p,
    keepaliveMs,
    brokerConnectAt: 0,
    reconnectAfterGiveUp: reconnectSpan(shape, reconnect),
    finAfterGiveUp: shape.finDelayMs,
    faultEndsAt: shape.endsAt,
    scale,
  };
  const model = namedLibrary(o);
  if (model) {
    // a real library (where it runs here) may give up as far from its model as it was measured to
    const slack = subjectRealTime(o) ? giveUpSlack(model, conditionsOf(o)) : undefined;
    const phases = libraryRacePhases(model, conditionsOf(o), 0, shape.toClientFrom, shape.toBrokerFrom);
    return mergePhases(
      phases
        .flatMap((ph) => withSlack(ph, slack))
        .map((ph) =>
          predictRace(
            {
              ...common,
              clientRescheduledAt: null,
              clientGivesUpAt: ph.givesUpAt,
              pingsGoOn: ph.pingsGoOn,
              disconnectReaches: ph.disconnectReaches,
              brokerInboundAt: ph.inboundAt,
            },
            true,
          ),
        ),
    );
  }
  const nominal = nominalSchedule(keepaliveMs, shape.toClientFrom, shape.toBrokerFrom);
  return predictRace(
    { ...common, clientRescheduledAt: nominal.rescheduledAt, brokerInboundAt: nominal.inboundAt },
    true,
  );
}

/** How much later than its model a real library is measured to give up (its named differences), ms. */
function giveUpSlack(model: ClientModel, c: ClientConditions): { earlyMs: number; lateMs: number } {
  const d = (model.measuredDifferences ?? []).filter((x) => x.quantity === "give-up").map((x) => x.beyond(c));
  return {
    earlyMs: Math.max(0, ...d.map((x) => x.earlyMs)),
    lateMs: Math.max(0, ...d.map((x) => x.lateMs)),
  };
}

/** A phase, and the same phase with the give-up moved to either end of a real library's measured slack. */
function withSlack(
  ph: LibraryRacePhase,
  slack: { earlyMs: number; lateMs: number } | undefined,
): LibraryRacePhase[] {
  const g = ph.givesUpAt;
  if (!slack || g === null) return [ph];
  return [ph, { ...ph, givesUpAt: g - slack.earlyMs }, { ...ph, givesUpAt: g + slack.lateMs }];
}

/** The conditions a --client library's model runs under in a race: the keepalive, loopback, the app's loop. */
function conditionsOf(o: ScenarioOptions): ClientConditions {
  return { keepaliveMs: o.keepaliveS * 1000, oneWayLatencyMs: 0, loopIntervalMs: loopIntervalOf(o) };
}

/** Scenario ms the race takes at most: the later side's latest moment, a reconnect, and a margin. */
export function raceDurationMs(def: RaceDefinition, p: ProfileOptions, o: ScenarioOptions): number {
  const f = raceForecast(def, p, o);
  const wait = firstReconnectWait(raceReconnect(o));
  const end =
    Math.max(f.clientGivesUpAt ?? 0, f.brokerKickTo ?? 0, 3 * o.keepaliveS * 1000) + (wait?.to ?? 0);
  return end + Math.max(3000, 0.1 * end);
}

/** The script of a race scenario: its clients behind the link, until both sides are done; checks and outcome. */
export async function runRace(ctx: ScenarioContext<KeepaliveRace>, def: RaceDefinition): Promise<void> {
  const reconnect = raceReconnect(ctx.options);
  const link = raceLink(def, ctx.options);
  const forecast = raceForecast(def, ctx.profile, ctx.options, ctx.clock.scale);
  const model = namedLibrary(ctx.options);
  const spec = await subjectSpec(ctx.options, { reconnect, link });
  const fleet = await ctx.startFleet(spec, undefined, ctx.name);
  const evidence = (c: FleetClient): RaceEvidence => {
    const record = c.records()[0] as NonNullable<ReturnType<FleetClient["records"]>[0]>;
    const linkEvents = c.link?.events() ?? [];
    markOwnEnd(c, record, link, ctx.trace());
    return {
      record,
      linkEvents,
      trace: ctx.trace(),
      signatures: ctx.signatures(),
      external: ctx.external,
      brokerObserved: ctx.brokerObserved,
    };
  };
  const done = (c: FleetClient) => {
    const ev = evidence(c);
    const r = ev.record;
    const back = reconnect.kind === "none" || r.reconnectedAt.length > 0;
    // a --client library whose model never gives up (MQTT-C) is done once the broker is; one the broker's close
    // reached is done once it came back
    const clientDone = model
      ? forecast.clientGivesUpTo === null || ((firstGiveUp(r) !== null || r.closedBy === "broker") && back)
      : r.clientTimeoutAt !== null && back;
    return clientDone && brokerSettled(ev, faultAt(ev.linkEvents) ?? 0);
  };
  const detail = `client gives up at ${sec(forecast.clientGivesUpAt)}, broker kicks at ${
    forecast.brokerKickFrom === forecast.brokerKickTo
      ? sec(forecast.brokerKickFrom)
      : `${sec(forecast.brokerKickFrom)}–${sec(forecast.brokerKickTo)}`
  } (model)`;
  await ctx.waitUntil(
    () => fleet.clients.every(done),
    raceDurationMs(def, ctx.profile, ctx.options),
    "both sides of the race",
    detail,
  );
  let race: KeepaliveRace | undefined;
  for (const c of fleet.clients) {
    const ev = evidence(c);
    const fault = faultAt(ev.linkEvents);
    const shape = linkShape(link);
    const blockedAt =
      shape.toBrokerFrom === null ? Number.POSITIVE_INFINITY : (c.link?.startedAt ?? 0) + shape.toBrokerFrom;
    const until = Math.min(blockedAt, ev.record.clientTimeoutAt ?? Number.POSITIVE_INFINITY);
    const inbound = brokerInbound(ev, until);
    const linkStart = c.link?.startedAt ?? 0;
    const runInputs = {
      profile: ctx.profile,
      keepaliveMs: ev.record.keepaliveMs,
      brokerConnectAt: inbound.connectAt,
      brokerInboundAt: inbound.inboundAt,
      reconnectAfterGiveUp: reconnectSpan(shape, reconnect),
      finAfterGiveUp: shape.finDelayMs,
      faultEndsAt: shape.endsAt === null ? null : linkStart + shape.endsAt,
      scale: ctx.clock.scale,
      secondsKnown: !ctx.external,
    };
    const seen = seenRace(ev, fault ?? 0);
    const at = (from: number | null) => (from === null ? null : linkStart + from);
    // a real library measured to give up later (or earlier) than its model: both ends enter the prediction
    const slack =
      model && ev.record.library?.real ? giveUpSlack(model, conditionsOf(ctx.options)) : undefined;
    // a --client library: its model's give-up at every phase of its clocks, from its CONNECT as the broker saw it
    const predicted = model
      ? mergePhases(
          libraryRacePhases(
            model,
            conditionsOf(ctx.options),
            inbound.connectAt,
            at(shape.toClientFrom),
            at(shape.toBrokerFrom),
          )
            .flatMap((ph) => withSlack(ph, slack))
            .map((ph) =>
              predictRace({
                ...runInputs,
                clientRescheduledAt: null,
                clientGivesUpAt: ph.givesUpAt,
                pingsGoOn: ph.pingsGoOn && seen.brokerKickedAt === null,
                disconnectReaches: ph.disconnectReaches,
              }),
            ),
        )
      : predictRace({ ...runInputs, clientRescheduledAt: lastReschedule(ev.record) });
    for (const check of raceChecks(
      ev.record.clientId,
      predicted,
      seen,
      ctx.clock.scale,
      ctx.brokerObserved,
      undefined,
      model?.name,
    ))
      ctx.check(check);
    race ??= {
      clientId: ev.record.clientId,
      ...(subjectLibrary(ctx.options, ev.record) ? { library: subjectLibrary(ctx.options, ev.record) } : {}),
      profile: ctx.profile.profile,
      keepaliveMs: ev.record.keepaliveMs,
      retryIntervalMs: ctx.profile.retryIntervalMs,
      keepaliveMultiplier: ctx.profile.keepaliveMultiplier,
      link,
      reconnect,
      faultAt: fault,
      forecast,
      predicted,
      seen,
      lines: ctx
        .signatures()
        .filter((g) => g.at >= (fault ?? 0) && (g.clientId === null || g.clientId === ev.record.clientId))
        .map((g) => ({ id: g.id, at: g.at, detail: g.detail })),
      timeline: raceTimeline(ev, seen, fault),
    };
  }
  if (race) ctx.report(race);
  // The race is over: stop before a second fault cycle on the new connection (pingresp-lost drops its PINGRESPs too).
  await fleet.stop();
}
