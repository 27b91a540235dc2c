import type { ClientRecord } from "../../../src/fleet/types.js";
import { halfOpenOutcome } from "../../../src/scenarios/half-open.js";
import { raceOutcome } from "../../../src/scenarios/network-race-run.js";
import type { ScenarioResult } from "../../../src/scenarios/types.js";

/** One connection of `mqdiag capture --format json`, the members these tests read. */
export interface CapturedConnection {
  clientId: string | null;
  client: string;
  broker: string;
  start: string;
  end: string | null;
  ending: string;
  cause: string;
  kick: { timing: string } | null;
  vantage: { point: string };
  evidence: { code: string; what: string; packet: number; time: string }[];
}

export interface VerdictPair {
  ending: string;
  cause: string;
}

/**
 * Which TCP connection a scenario client's verdict is read on. A client behind the scenario's link (src/link: a
 * relay between it and the broker) has two: client → relay and relay → broker. The relay is the network here, so
 * the client's own leg is the one whose client is the scenario's client: what it sent, what reached it, and when
 * it gave up. The broker's leg sees the relay as its client, and a dead link as a silent client (see
 * docs/commands/capture.md, "Vantage point").
 */
export type Leg = "broker" | "client";

/**
 * What the scenario's own report says happened to one connection of a client, as a capture verdict: who closed it
 * and how (the client's record), and why (the client's behaviour, and whether it gave up on a PINGRESP).
 * `undefined` when the record says nothing a verdict could be checked against (never closed).
 */
export function truthOf(r: ClientRecord): VerdictPair | undefined {
  if (r.closedBy === "client") {
    // a client that gave up waiting for a PINGRESP (MQTT.js "Keepalive timeout") closes with a FIN
    const cause = r.clientTimeoutAt !== null ? "pingresp-missing" : "none";
    if (r.closeKind === "DISCONNECT") return { ending: "client-disconnect", cause: "none" };
    return { ending: r.closeKind === "RST" ? "client-reset" : "client-closed", cause };
  }
  if (r.closedBy !== "broker") return undefined;
  switch (r.behaviour) {
    case "takeover":
      return { ending: "takeover", cause: "duplicate-client-id" };
    case "malformed":
      return { ending: "malformed", cause: "malformed" };
    // no CONNECT on the wire: the capture cannot know the keepalive, so it must not judge the close
    case "no-connect":
      return { ending: "kicked", cause: "undecidable" };
    // silent by design: they never ping (or ping too late)
    case "late-ping":
    case "subscriber-only":
      return { ending: "kicked", cause: "client-late" };
    default:
      // a client that pinged on time, closed by the broker: the broker's doing (its kick timing says more)
      return { ending: "kicked", cause: "none" };
  }
}

/** How close a reconnect and the broker's predicted kick must come for the race to be a coin toss (clock ms). */
const COIN_TOSS_MS = 200;
/** What mqdiag capture allows a real broker's timers for lateness (src/capture/verdict.ts: NanoMQ, 1 s measured). */
const BROKER_TIMERS_LATE_MS = 1000;

const UNDECIDED: VerdictPair = { ending: "unknown", cause: "undecidable" };

/**
 * The broker's leg of a linked client's first connection: what reached the broker, every verdict the scenario's
 * report allows. The relay is the broker's peer there: a dead link is a silent peer (half-open: client-late).
 * In network-stall and pingresp-lost the client gave up and reconnected (its record's time, to the ms) while the
 * broker's model put its kick of the old connection at `predicted.brokerKickTo`: a reconnect before that kick
 * takes the old session over; one after the kick (and a late timer's allowance) finds it kicked; in between the
 * broker's close is as much the kick as the takeover, and the capture may say it cannot tell. The broker's log is
 * not taken for it: NanoMQ 0.25.3 logged `keepalive` for a close the wire shows 0.4 ms after the reconnect's
 * CONNECT and 0.9 s before its tick model's kick (its log has whole seconds). `undefined` where the report does
 * not say (high-latency).
 */
export function brokerLegTruth(s: ScenarioResult): VerdictPair[] | undefined {
  const race = raceOutcome.of(s);
  if (race) {
    const reconnect = race.seen.reconnectedAt[0];
    const kick = race.predicted.brokerKickTo;
    const takeover = { ending: "takeover", cause: "duplicate-client-id" };
    const kicked = { ending: "kicked", cause: "client-late" };
    if (reconnect === undefined) return kick === null ? undefined : [kicked];
    if (kick === null || reconnect < kick - COIN_TOSS_MS) return [takeover];
    if (reconnect > kick + BROKER_TIMERS_LATE_MS + COIN_TOSS_MS) return [kicked];
    return [takeover, UNDECIDED, kicked];
  }
  const half = halfOpenOutcome.of(s);
  if (half?.brokerClosedAt !== null && half?.brokerClosedAt !== undefined)
    return [{ ending: "kicked", cause: "client-late" }];
  return undefined;
}

/** The connections a scenario's client made, each with the verdict its report implies and the clock ms it began. */
export interface ExpectedConnection {
  clientId: string;
  role: string;
  control: boolean;
  /** Clock ms (since the scenario started) of its CONNACK (TCP connect for no-connect) and of its close. */
  connectedAt: number;
  closedAt: number | null;
  /** The verdict its record implies; reconnections (no record of their own) end with the fleet's DISCONNECT. */
  truth: VerdictPair | undefined;
  reconnection: boolean;
}

export function expectedConnections(s: ScenarioResult): ExpectedConnection[] {
  const out: ExpectedConnection[] = [];
  for (const r of s.clients) {
    if (r.connectedAt === null) continue;
    const base = { clientId: r.clientId, role: r.behaviour, control: r.control };
    out.push({
      ...base,
      connectedAt: r.connectedAt,
      closedAt: r.closedAt,
      truth: truthOf(r),
      reconnection: false,
    });
    // the later connections of a reconnecting client: stopped by the fleet at the scenario's end
    for (const at of r.reconnectedAt)
      out.push({
        ...base,
        connectedAt: at,
        closedAt: null,
        truth: { ending: "client-disconnect", cause: "none" },
        reconnection: true,
      });
  }
  return out;
}

const portOf = (endpoint: string) => Number(endpoint.slice(endpoint.lastIndexOf(":") + 1));
const ms = (iso: string) => Date.parse(iso);

/**
 * A record's close and a captured close further apart than this (wall ms) are not the same connection's: the
 * clock 0 is off by the quickest CONNACK's wait (a 400 ms allowance once missed at load average 17).
 */
const MATCH_MS = 1000;
/** How long before its CONNACK a connection may have begun: a round trip over the slowest scenario link (2 × 4 s). */
const LONGEST_CONNECT_MS = 10_000;
/** How much earlier than its SYN a connection's CONNACK may seem: the clock 0's error (below). */
const SLACK_MS = 300;

/**
 * The captured connection of an expected one: on the broker's port (the broker leg) or, for the client leg, on
 * any other port (the relay's), begun before its CONNACK (a link's latency may put seconds between), the one whose
 * first close lies nearest the record's close, a tenth of the wait for its CONNACK added (without a close: whose
start lies nearest its CONNACK). `originMs` is the
 * wall time of the scenario clock's 0 (at ×1: originOf).
 */
export function findCaptured(
  captured: readonly CapturedConnection[],
  e: ExpectedConnection,
  leg: Leg,
  brokerPort: number,
  originMs: number,
  idOnWire: string | null,
): CapturedConnection | undefined {
  let best: { c: CapturedConnection; cost: number } | undefined;
  for (const c of captured) {
    if (c.clientId !== idOnWire) continue;
    const onBroker = portOf(c.broker) === brokerPort;
    if (onBroker !== (leg === "broker")) continue;
    const before = originMs + e.connectedAt - ms(c.start);
    if (before < -SLACK_MS || before > LONGEST_CONNECT_MS) continue;
    const closed = c.evidence.find((x) => x.code === "close");
    const cost =
      e.closedAt !== null && closed
        ? Math.abs(ms(closed.time) - (originMs + e.closedAt)) + Math.abs(before) / 10
        : Math.abs(before);
    if (cost < MATCH_MS && (!best || cost < best.cost)) best = { c, cost };
  }
  return best?.c;
}

/**
 * The wall time of the scenario's clock 0. A client's connection starts (SYN) before its CONNACK, by the broker's
 * answer time: each client whose id has one connection on the broker's port puts clock 0 no later than its SYN
 * less its CONNACK's clock time, and the latest of these is the nearest (the quickest answer's).
 */
export function originOf(
  captured: readonly CapturedConnection[],
  s: ScenarioResult,
  brokerPort: number,
): number | undefined {
  let origin: number | undefined;
  for (const r of s.clients) {
    if (r.connectedAt === null) continue;
    const mine = captured.filter((x) => x.clientId === r.clientId && portOf(x.broker) === brokerPort);
    const only = mine.length === 1 ? mine[0] : undefined;
    if (only) origin = Math.max(origin ?? -Infinity, ms(only.start) - r.connectedAt);
  }
  return origin;
}
