import { MOSQUITTO_SWEEP_INTERVAL_MS } from "../mosquitto-arithmetic.js";
import { type KeepaliveParams, predictKickAt, predictKickWindow } from "../predict.js";
import { toMicros } from "./grid.js";
import { clientPhases, firstPing, giveUpAfterPing, HORIZON_PINGS, idlePingGap, rangeOf } from "./ranges.js";
import { type LibraryKeepalive, libraryKeepalive } from "./server-keepalive.js";
import type { ClientConditions, ClientLibraryId, ClientModel, IdleRun, MsRange } from "./types.js";

/** Who ends an idle connection first: the broker (keepalive kick), the client (no PINGRESP in time), or nobody. */
export type FirstToAct = "nobody" | "broker" | "client" | "tie";

/**
 * An idle client of one library against one broker model. Times are ms after the client SENT its CONNECT (the
 * broker receives it one latency later); ranges span every sampled phase of the client's clocks and, for
 * mosquitto, of its sweep.
 */
export interface ClientVersusBroker {
  library: ClientLibraryId;
  /** The keepalive it pings with and the one the broker watches (they differ when it ignores Server Keep Alive). */
  keepalive: LibraryKeepalive;
  /** The idle PINGREQ gap as sent; null = the library never pings at this keepalive. */
  pingGapMs: MsRange | null;
  /** The first PINGREQ after the CONNECT. */
  firstPingMs: MsRange | null;
  /** How long after an unanswered PINGREQ the library gives up; null = never. */
  giveUpAfterPingMs: MsRange | null;
  /** When this broker kicks the client (ms after CONNECT); null = never. */
  brokerKicksAtMs: MsRange | null;
  /** When the client gives up on this link because a PINGRESP came too late; null = never. */
  clientGivesUpAtMs: MsRange | null;
  /**
   * The worst case over phases: `broker` if some phase is kicked and the client never gives up first; `client` if
   * the client gives up first in every phase where anyone acts; `tie` when both act at the same instant, or
   * either may act first depending on phase; `nobody` when no phase ends the connection.
   */
  firstToAct: FirstToAct;
  /**
   * `nobody`: the smallest spare time of the nearest deadline (the broker's earliest kick after a packet minus
   * the next packet's arrival; the client's give-up minus its PINGRESP's arrival). `broker`/`client`: how long
   * before the event that would have averted it the first action came (the next PINGREQ's arrival or the
   * client's give-up / the PINGRESP's arrival or the kick), the smallest over phases; null = nothing would have.
   * `tie`: 0.
   */
  marginMs: number | null;
  /** The outcome is not the same under every phase of the client's clocks and the broker's ticks/sweeps. */
  dependsOnPhase: boolean;
  /** The share of the sampled phases (client clocks × broker sweeps) in which the connection surely ends (0–1). */
  endsShare: number;
}

type Outcome = "nobody" | "broker" | "client" | "tie";

interface PhaseVerdict {
  outcomes: Set<Outcome>;
  kick: MsRange | null;
  giveUpAt: number | null;
  margin: number | null;
}

/**
 * One phase of the broker's clock: mosquitto sweeps every 6 whole seconds (sweepPhaseMs: one of its sweeps), its
 * seconds falling anywhere in the client's (offsetMs shifts every time the broker sees); NanoMQ's ticks and the
 * spec's deadline start at the CONNECT, so they have none.
 */
interface BrokerPhase {
  offsetMs: number;
  sweepPhaseMs?: number;
  /** How long after the CONNECT's arrival the broker's schedule starts (NanoMQ's ticks), ms; absent = 0. */
  connectLagMs?: number;
}

const MOSQUITTO_PHASES: readonly BrokerPhase[] = [0, 500].flatMap((offsetMs) =>
  Array.from({ length: MOSQUITTO_SWEEP_INTERVAL_MS / 1000 }, (_, j) => ({
    offsetMs,
    sweepPhaseMs: j * 1000,
  })),
);

/**
 * NanoMQ's ticks start when it has handled the CONNECT; each later packet is counted as it comes. On the model's
 * exact grids a client whose pings keep a phase against the ticks (a loop's syncs, a whole-second clock) can ping
 * at the very instant of a tick, where the order of the two is a matter of milliseconds: sampled with the ticks
 * also NANOMQ_CONNECT_LAG_MS later. Measured: the real MQTT-C (KA 3, 100-ms loop) kicked at its second PINGREQ,
 * 7.5 s, by the real NanoMQ 0.25.3 and the embedded profile — its first PINGREQ (slid 6 ms) before a tick, its
 * second (13 ms) after the next-but-four: the ticks came 6–13 ms after its sync grid.
 */
export const NANOMQ_CONNECT_LAG_MS = 10;

const NANOMQ_PHASED: readonly BrokerPhase[] = [
  { offsetMs: 0 },
  { offsetMs: 0, connectLagMs: NANOMQ_CONNECT_LAG_MS },
];

function brokerPhases(p: KeepaliveParams, model: ClientModel): readonly BrokerPhase[] {
  if (p.profile === "mosquitto") return MOSQUITTO_PHASES;
  return p.profile === "nanomq" && model.phased ? NANOMQ_PHASED : [{ offsetMs: 0 }];
}

/**
 * The broker's kick for a client whose packets reach it at `arrivals` (CONNECT first) and that is silent after
 * the last: exact for one broker phase, a window only under a simulated NanoMQ tick jitter; null = never.
 */
function kickWindow(
  p: KeepaliveParams,
  keepaliveMs: number,
  arrivals: readonly number[],
  phase: BrokerPhase,
): { earliestMs: number; latestMs: number } | null {
  const [connectAt = 0, ...inboundAt] = arrivals;
  const query = {
    keepaliveMs,
    connectAt: connectAt + phase.offsetMs + (phase.connectLagMs ?? 0),
    inboundAt: inboundAt.map((t) => t + phase.offsetMs),
    ...(phase.sweepPhaseMs === undefined ? {} : { sweepPhaseMs: phase.sweepPhaseMs }),
  };
  const w = p.profile === "mosquitto" ? exact(predictKickAt(p, query)) : predictKickWindow(p, query);
  return w === null
    ? null
    : { earliestMs: w.earliestMs - phase.offsetMs, latestMs: w.latestMs - phase.offsetMs };
}

function exact(at: number | null) {
  return at === null ? null : { earliestMs: at, latestMs: at };
}

/** The first value at or after t (a packet at the kick's instant came too late by nothing: margin 0). */
function firstFrom(values: readonly number[], t: number): number | null {
  return values.find((v) => v >= t) ?? null;
}

/**
 * The smallest spare time before any deadline of a connection that nobody ends: for each packet, when the broker
 * would kick had the client gone silent after the one before, minus its arrival; for each PINGREQ, the client's give-up minus its PINGRESP's arrival.
 */
function nobodySlack(
  p: KeepaliveParams,
  brokerKeepaliveMs: number,
  c: ClientConditions,
  run: IdleRun,
  arrivals: readonly number[],
  phase: BrokerPhase,
): number | null {
  const rtt = 2 * c.oneWayLatencyMs;
  let slack = Number.POSITIVE_INFINITY;
  for (let i = 1; i < arrivals.length; i++) {
    const w = kickWindow(p, brokerKeepaliveMs, arrivals.slice(0, i), phase);
    if (w) slack = Math.min(slack, w.earliestMs - (arrivals[i] ?? 0));
  }
  run.giveUpAt.forEach((g, i) => {
    if (g !== null) slack = Math.min(slack, g - ((run.pingsAt[i] ?? 0) + rtt));
  });
  return Number.isFinite(slack) ? slack : null;
}

function evaluate(
  p: KeepaliveParams,
  brokerKeepaliveMs: number,
  c: ClientConditions,
  run: IdleRun,
  phase: BrokerPhase,
): PhaseVerdict {
  const latency = c.oneWayLatencyMs;
  const arrivals = [latency, ...run.pingsAt.map((t) => t + latency)];
  const giveUpAt = run.gaveUpAt;
  const lastArrival = arrivals[arrivals.length - 1] ?? latency;
  // Past the last simulated PINGREQ the client would go on pinging: only kicks up to it are real — unless it
  // never pings (truly silent) or has given up (silent until its close reaches the broker).
  const horizon =
    giveUpAt !== null
      ? giveUpAt + latency
      : run.pingsAt.length === 0
        ? Number.POSITIVE_INFINITY
        : lastArrival;
  const w = kickWindow(p, brokerKeepaliveMs, arrivals, phase);
  const x = giveUpAt ?? Number.POSITIVE_INFINITY;
  const outcomes = new Set<Outcome>();
  let kick: MsRange | null = null;
  if (w === null || w.earliestMs > horizon || w.earliestMs > x) {
    outcomes.add(giveUpAt === null ? "nobody" : "client");
  } else {
    const sure = w.latestMs <= Math.min(horizon, x);
    kick = { minMs: w.earliestMs, maxMs: Math.min(w.latestMs, horizon, x) };
    if (sure && w.earliestMs === x) outcomes.add("tie");
    else {
      outcomes.add("broker");
      if (!sure) outcomes.add(giveUpAt === null ? "nobody" : "client");
    }
  }
  let margin: number | null = 0;
  if (outcomes.size === 1 && outcomes.has("broker") && kick) {
    const averting = [firstFrom(arrivals, kick.maxMs), giveUpAt].filter((v): v is number => v !== null);
    margin = averting.length > 0 ? Math.min(...averting) - kick.maxMs : null;
  } else if (outcomes.size === 1 && outcomes.has("client") && giveUpAt !== null) {
    const lastPing = run.pingsAt[run.pingsAt.length - 1] ?? 0;
    const averting = [lastPing + 2 * latency, ...(w && w.earliestMs > x ? [w.earliestMs] : [])];
    margin = Math.min(...averting) - giveUpAt;
  } else if (outcomes.size === 1 && outcomes.has("nobody")) {
    margin = nobodySlack(p, brokerKeepaliveMs, c, run, arrivals, phase);
  }
  return { outcomes, kick, giveUpAt, margin };
}

function merge(a: MsRange | null, b: MsRange | null): MsRange | null {
  if (a === null) return b;
  if (b === null) return a;
  return { minMs: Math.min(a.minMs, b.minMs), maxMs: Math.max(a.maxMs, b.maxMs) };
}

function firstToActOf(all: ReadonlySet<Outcome>): FirstToAct {
  const broker = all.has("broker");
  const client = all.has("client");
  if (all.has("tie") || (broker && client)) return "tie";
  if (broker) return "broker";
  if (client) return "client";
  return "nobody";
}

/**
 * Sets an idle client of `model`, under `c`, against a broker model: its ping rhythm from the client model, the
 * broker's verdict from the broker's own predictor (predict.ts) fed with the PINGREQs' arrival times (send time +
 * one-way latency), and the client's own give-up when its PINGRESPs come back too late.
 */
export function clientVersusBroker(
  model: ClientModel,
  asked: ClientConditions,
  broker: KeepaliveParams,
): ClientVersusBroker {
  const keepalive = libraryKeepalive(model, asked);
  const c = { ...asked, keepaliveMs: keepalive.pingsWithMs };
  const verdicts: PhaseVerdict[] = [];
  const seen = new Map<string, PhaseVerdict[]>();
  const horizon = model.horizonPings?.(c) ?? HORIZON_PINGS;
  for (const phase of clientPhases(model)) {
    const run = model.idleRun(c, phase, horizon);
    const key = JSON.stringify(run);
    const known =
      seen.get(key) ??
      brokerPhases(broker, model).map((phase) => evaluate(broker, keepalive.brokerWatchesMs, c, run, phase));
    seen.set(key, known);
    verdicts.push(...known);
  }
  const all = new Set<Outcome>(verdicts.flatMap((v) => [...v.outcomes]));
  const firstToAct = firstToActOf(all);
  let brokerKicksAtMs: MsRange | null = null;
  let clientGivesUpAtMs: MsRange | null = null;
  for (const v of verdicts) {
    brokerKicksAtMs = merge(brokerKicksAtMs, v.kick);
    if (v.giveUpAt !== null)
      clientGivesUpAtMs = merge(clientGivesUpAtMs, { minMs: v.giveUpAt, maxMs: v.giveUpAt });
  }
  const margins = verdicts
    .filter((v) => v.outcomes.size === 1 && v.outcomes.has(firstToAct))
    .map((v) => v.margin)
    .filter((m): m is number => m !== null);
  const ends = verdicts.filter((v) => !v.outcomes.has("nobody")).length;
  return {
    library: model.id,
    keepalive,
    pingGapMs: idlePingGap(model, c),
    firstPingMs: firstPing(model, c),
    giveUpAfterPingMs: giveUpAfterPing(model, c),
    brokerKicksAtMs: brokerKicksAtMs && rangeOf([brokerKicksAtMs.minMs, brokerKicksAtMs.maxMs]),
    clientGivesUpAtMs: clientGivesUpAtMs && rangeOf([clientGivesUpAtMs.minMs, clientGivesUpAtMs.maxMs]),
    firstToAct,
    marginMs: firstToAct === "tie" ? 0 : margins.length > 0 ? toMicros(Math.min(...margins)) : null,
    dependsOnPhase: all.size > 1 || verdicts.some((v) => v.outcomes.size > 1),
    endsShare: ends / verdicts.length,
  };
}
