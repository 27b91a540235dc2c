import type { ProfileName } from "../core/profile.js";
import type { ReconnectPolicy } from "../fleet/reconnect-policy.js";
import type { LinkSpec } from "../link/types.js";
import type { SignatureId } from "../signatures/types.js";
import type { SubjectLibrary } from "./subject-library.js";

/** Who gave up on the connection first: the client's own keepalive, or the broker's. */
export type RaceFirst = "client" | "broker";
/**
 * What a model predicts: one side; `tie` — the same deadline, a round trip apart (the spec's 1.5 × KA from the
 * PINGREQ the broker got, MQTT.js's 1.5 × KA from the PINGRESP it got); `either` — the broker's kick window holds
 * the client's deadline (mosquitto's sweep phase decides); `none` — the fault ends before either deadline.
 */
export type RaceForecast = RaceFirst | "tie" | "either" | "none";
/** How the broker's side of the client's first connection ended. */
/** `disconnect`: the client's own DISCONNECT at its give-up (a library that sends one, on a link that carries it). */
export type OldConnectionEnd = "takeover" | "keepalive" | "peer-closed" | "disconnect" | "open";

/** One moment of the race, on the clock (ms since the scenario started). Reporters word `what`. */
export interface RaceEvent {
  at: number;
  side: "client" | "broker" | "link";
  what:
    | "connected"
    | "pingreq"
    | "pingresp"
    | "fault"
    | "client-gave-up"
    | "reconnected"
    | "broker-kicked"
    | "takeover"
    | "peer-closed"
    | "disconnect";
}

/** The model's numbers for one run (clock ms since the scenario started; null = never). */
export interface RacePrediction {
  /** MQTT.js's last keepalive reschedule (its CONNACK or last PINGRESP) before the fault. */
  clientRescheduledAt: number | null;
  /**
   * MQTT.js gives up 3 · ⌈KA/2⌉ after that (src/keepalive/clients/mqttjs.ts); a --client library when its model
   * says, at the earliest phase of its clocks.
   */
  clientGivesUpAt: number | null;
  /** A --client library whose clocks' phase moves its give-up: the latest (undefined: exact). */
  clientGivesUpTo?: number | null;
  /** The broker's last inbound packet before the fault. */
  brokerLastInboundAt: number | null;
  /** The broker's kick window from its keepalive model (exact for nanomq and spec). */
  brokerKickFrom: number | null;
  brokerKickTo: number | null;
  first: RaceForecast;
  /** takeover: the reconnect reaches the broker before its kick; keepalive: it does not (or there is none). */
  oldConnectionEnds: OldConnectionEnd | "either";
}

/** What happened (clock ms since the scenario started; null = not seen). */
export interface RaceSeen {
  clientGaveUpAt: number | null;
  brokerKickedAt: number | null;
  reconnectedAt: number[];
  takeoverAt: number | null;
  first: RaceFirst | null;
  oldConnectionEndedBy: OldConnectionEnd | null;
}

/**
 * network-stall and pingresp-lost: the client's own MQTT.js keepalive against the broker's, over a faulty link.
 * Everything needed to say who gave up first, when and why (KA, Q, M, the link), and which lines it caused.
 */
export interface KeepaliveRace {
  clientId: string;
  /** The client that raced: --client's library (real, or its model), or undefined for the scenario's MQTT.js. */
  library?: SubjectLibrary;
  profile: ProfileName;
  keepaliveMs: number;
  retryIntervalMs: number;
  keepaliveMultiplier: number;
  link: LinkSpec;
  reconnect: ReconnectPolicy;
  /** When the fault began to bite: the stall's start, or the first PINGRESP dropped. */
  faultAt: number | null;
  /** Before the run, from nominal times (what `expected` used). */
  forecast: RacePrediction;
  /** From the run's own times (the broker's trace when embedded, the client's packets when external). */
  predicted: RacePrediction;
  seen: RaceSeen;
  /** The broker's lines from the fault on (the subject's and unnamed ones), in order. */
  lines: { id: SignatureId; at: number; detail: Record<string, string | number> }[];
  timeline: RaceEvent[];
}
