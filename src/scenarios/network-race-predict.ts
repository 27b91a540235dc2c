import type { ProfileOptions } from "../core/profile.js";
import type { ReconnectPolicy } from "../fleet/reconnect-policy.js";
import { mqttjsPingAfterMs, mqttjsTimeoutAfterMs } from "../keepalive/clients/mqttjs.js";
import { kickDelayAfterLastPacket, predictKickWindow } from "../keepalive/predict.js";
import type { OldConnectionEnd, RaceForecast, RacePrediction } from "./network-outcome.js";

/** A span of clock ms: something happens after `from` (or at it) and at most at `to`. */
export interface Span {
  from: number;
  to: number;
}

/**
 * Two deadlines this close are a tie: which timer fires first is a matter of the round trip between the broker's
 * last inbound packet and the client's last PINGRESP, and of the event loop (scaled: more clock ms per real ms).
 */
export function tieMs(scale: number): number {
  return 100 + 10 * scale;
}

/** The first wait of a reconnect policy as a span (null: it never reconnects). */
export function firstReconnectWait(policy: ReconnectPolicy): Span | null {
  switch (policy.kind) {
    case "none":
      return null;
    case "immediate":
      return { from: 0, to: 0 };
    case "backoff": {
      const base = Math.min(policy.maxMs, policy.initialMs);
      return { from: base * (1 - Math.min(1, Math.max(0, policy.jitter ?? 0))), to: base };
    }
  }
}

/** What the race is run with: the profile, the keepalive, and when the link stops carrying what. */
export interface RaceInputs {
  profile: ProfileOptions;
  keepaliveMs: number;
  /** The client's last keepalive reschedule before the fault (CONNACK or its last PINGRESP); null = unknown. */
  clientRescheduledAt: number | null;
  /**
   * When the client gives up by its own model (a --client library; null: never); undefined = MQTT.js's rule from
   * `clientRescheduledAt`.
   */
  clientGivesUpAt?: number | null;
  /**
   * The client keeps pinging past the last of `brokerInboundAt` (a library that never gives up, its PINGREQs
   * reaching the broker): a kick only after the last listed is none.
   */
  pingsGoOn?: boolean;
  /** When the broker's connection was accepted, and every packet it received on it before the fault. */
  brokerConnectAt: number;
  brokerInboundAt: readonly number[];
  /** When the client's reconnect reaches the broker, as a span after the client gives up (null: it never does). */
  reconnectAfterGiveUp: Span | null;
  /**
   * The client sends a DISCONNECT when it gives up (its library's `disconnectsOnGiveUp`) and the link carries it to
   * the broker then: the old connection ends by it, before any reconnect or FIN. Absent: false.
   */
  disconnectReaches?: boolean;
  /** When the client's FIN reaches the broker after it gives up (null: it never does while the fault lasts). */
  finAfterGiveUp: number | null;
  /** When the fault ends (clock ms; null: for good). */
  faultEndsAt: number | null;
  scale: number;
  /**
   * mosquitto: whether its whole seconds are the clock's (the embedded profile). A real mosquitto counts seconds of
   * its own monotonic clock, whose phase against ours is unknown: its kick is then (L, L + 6] s after the packet.
   */
  secondsKnown?: boolean;
}

/** The broker's kick as a span: exact for nanomq and spec; mosquitto's sweep phase unknown. */
function brokerKick(i: RaceInputs, aPriori: boolean): Span | null {
  const last = i.brokerInboundAt.length > 0 ? Math.max(...i.brokerInboundAt) : i.brokerConnectAt;
  const span = brokerKickSpan(i, aPriori, last);
  return span !== null && i.pingsGoOn && span.from > last ? null : span;
}

function brokerKickSpan(i: RaceInputs, aPriori: boolean, last: number): Span | null {
  if ((aPriori || i.secondsKnown === false) && i.profile.profile === "mosquitto") {
    // Before the run, or on a real mosquitto, the whole-second phase of the last PINGREQ is unknown: (L, L + 6] s.
    const d = kickDelayAfterLastPacket(i.profile, i.keepaliveMs);
    return d === null ? null : { from: last + d.minMs, to: last + d.maxMs };
  }
  const w = predictKickWindow(i.profile, {
    keepaliveMs: i.keepaliveMs,
    connectAt: i.brokerConnectAt,
    inboundAt: i.brokerInboundAt,
  });
  return w === null ? null : { from: w.earliestMs, to: w.latestMs };
}

/**
 * Which of several spans comes first for sure; "either" when they overlap. A window (from < to: mosquitto's kick)
 * starts strictly after `from`, so a span ending at `from` is before it; exact moments need `tie` between them.
 */
function earliest<K extends string>(spans: [K, Span | null][], tie: number): K | "either" | null {
  const real = spans.filter((s): s is [K, Span] => s[1] !== null);
  if (real.length === 0) return null;
  const sorted = [...real].sort((a, b) => a[1].from - b[1].from);
  const [first, second] = sorted as [[K, Span], [K, Span] | undefined];
  if (second === undefined) return first[0];
  const window = second[1].from < second[1].to;
  if (window ? first[1].to <= second[1].from : first[1].to + tie < second[1].from) return first[0];
  return "either";
}

/** The race by the models: MQTT.js's timeout rule (or --client's library's) against the profile's keepalive model. */
export function predictRace(i: RaceInputs, aPriori = false): RacePrediction {
  const tie = tieMs(i.scale);
  const gaveUp =
    i.clientGivesUpAt !== undefined
      ? i.clientGivesUpAt
      : i.clientRescheduledAt === null
        ? null
        : i.clientRescheduledAt + mqttjsTimeoutAfterMs(i.keepaliveMs);
  const client = gaveUp !== null && (i.faultEndsAt === null || i.faultEndsAt > gaveUp) ? gaveUp : null;
  const broker = brokerKick(i, aPriori);
  const brokerBites = broker !== null && (i.faultEndsAt === null || i.faultEndsAt > broker.from);
  let first: RaceForecast;
  if (client === null && !brokerBites) first = "none";
  else if (client === null) first = "broker";
  else if (!brokerBites || broker === null) first = "client";
  else if (broker.from === broker.to && Math.abs(broker.from - client) <= tie) first = "tie";
  else if (client < broker.from || (client === broker.from && broker.from !== broker.to)) first = "client";
  else if (client > broker.to) first = "broker";
  else first = "either";
  return {
    clientRescheduledAt: i.clientRescheduledAt,
    clientGivesUpAt: client,
    brokerLastInboundAt: i.brokerInboundAt.length > 0 ? Math.max(...i.brokerInboundAt) : null,
    brokerKickFrom: broker?.from ?? null,
    brokerKickTo: broker?.to ?? null,
    first,
    oldConnectionEnds: oldEnd(first, client, brokerBites ? broker : null, i, tie),
  };
}

function oldEnd(
  first: RaceForecast,
  client: number | null,
  broker: Span | null,
  i: RaceInputs,
  tie: number,
): OldConnectionEnd | "either" {
  if (first === "none") return "open";
  if (first === "broker") return "keepalive";
  if (first === "tie" || first === "either" || client === null) return "either";
  // it sends its DISCONNECT before it closes or reconnects: nothing of its own reaches the broker sooner
  if (i.disconnectReaches) return "disconnect";
  const shift = (s: Span | null): Span | null =>
    s === null ? null : { from: client + s.from, to: client + s.to };
  const fin = i.finAfterGiveUp === null ? null : client + i.finAfterGiveUp;
  const end = earliest<OldConnectionEnd>(
    [
      ["takeover", shift(i.reconnectAfterGiveUp)],
      ["peer-closed", fin === null ? null : { from: fin, to: fin }],
      ["keepalive", broker],
    ],
    tie,
  );
  return end ?? "open";
}

/**
 * The nominal schedule before a run: CONNACK at `connectAt`, each PINGREQ 2·⌈KA/2⌉ after the last PINGRESP, each
 * answered at once (1 ms later at the broker, as packets arrive after the client's timer fired). The fault stops
 * the PINGRESPs from `toClientFrom` and the PINGREQs from `toBrokerFrom` (null: never).
 */
export function nominalSchedule(
  keepaliveMs: number,
  toClientFrom: number | null,
  toBrokerFrom: number | null,
  connectAt = 0,
): { rescheduledAt: number; inboundAt: number[] } {
  const every = mqttjsPingAfterMs(keepaliveMs);
  const stopsAt = (at: number | null) => (at === null ? Number.POSITIVE_INFINITY : at);
  let rescheduledAt = connectAt;
  const inboundAt: number[] = [];
  if (toClientFrom === null && toBrokerFrom === null) return { rescheduledAt, inboundAt };
  for (;;) {
    const ping = rescheduledAt + every;
    if (ping < stopsAt(toBrokerFrom)) inboundAt.push(ping + 1);
    else break;
    if (ping + 1 >= stopsAt(toClientFrom)) break;
    rescheduledAt = ping + 1;
  }
  return { rescheduledAt, inboundAt };
}
