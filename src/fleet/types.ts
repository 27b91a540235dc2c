import type { Clock } from "../core/clock.js";
import type { Rand } from "../core/prng.js";
import type { Relay } from "../link/index.js";

/** The client behaviours of CONTRIBUTING.md ("The fleet and the scenarios"). One file each in ./behaviours/. */
export const BEHAVIOURS = [
  "healthy",
  "late-ping",
  "subscriber-only",
  "rst",
  "fin",
  "clean",
  "malformed",
  "takeover",
  "no-connect",
  "corrupt-retain",
  "resume-subscriber",
  "real-library",
  "library-model",
] as const;
export type BehaviourName = (typeof BEHAVIOURS)[number];

/** Roles of helper connections a behaviour opens beside its main one (they are recorded too). */
export type ClientRole = BehaviourName | "feeder" | "publisher" | "fresh-subscriber" | "second-connection";

export type ClosedBy = "broker" | "client";
/** How the connection ended, seen from the client: a TCP FIN, a TCP RST, or an MQTT DISCONNECT first. */
export type CloseKind = "FIN" | "RST" | "DISCONNECT";

/** One packet on the wire, seen by the client, on the clock. `packet` is the mqtt-packet cmd or a variant name. */
export interface PacketEvent {
  at: number;
  dir: "out" | "in";
  packet: string;
}

/**
 * What one client saw, on the clock (clock ms; null = did not happen). A client that reconnects (an MQTT.js
 * client with a reconnect policy) keeps one record: `connectedAt` is its first CONNACK, `reconnectedAt` the
 * later ones, and `closedAt`/`closedBy`/`closeKind`/`reasonCode` describe how its FIRST connection ended (the
 * drop the scenario is about); the later connections' packets are in `events`.
 */
export interface ClientRecord {
  clientId: string;
  behaviour: ClientRole;
  /** The healthy control client of a scenario: it must not be kicked. */
  control: boolean;
  keepaliveMs: number;
  /** CONNACK received (for no-connect / garbage-before-connect: the TCP connect). */
  connectedAt: number | null;
  /** The last packet (or raw bytes) the client sent. */
  lastSentAt: number | null;
  closedAt: number | null;
  closedBy: ClosedBy | null;
  /**
   * When the client itself gave up on the broker: MQTT.js's "Keepalive timeout" (no PINGRESP within 1.5 ×
   * keepalive of its last reschedule), the first time it happened. Its connection then ends closedBy client, FIN.
   */
  clientTimeoutAt: number | null;
  /** CONNACK times of the connections after the first (a reconnect policy), in order. */
  reconnectedAt: number[];
  closeKind: CloseKind | null;
  /** The reason code of a DISCONNECT the broker sent (v5, or NanoMQ's v5-style one on 3.1.1). */
  reasonCode: number | null;
  bytesReceived: number;
  /** The TCP connection's local port (matches this connection in a packet capture); null before it opened. */
  localPort: number | null;
  events: PacketEvent[];
  /**
   * The client library this client is (real-library, library-model): its id, version, whether it ran for real, and
   * — when the real one was asked for and cannot run here — why (its model ran instead).
   */
  library?: { id: string; version: string; real: boolean; notRealBecause?: string };
  /** Behaviour-specific observations (e.g. `retainedReceived` for corrupt-retain's fresh subscriber). */
  notes: Record<string, string | number | boolean>;
}

export interface FleetTarget {
  host: string;
  port: number;
}

/** Everything a behaviour needs to run one client. */
export interface ClientContext {
  clock: Clock;
  target: FleetTarget;
  clientId: string;
  /** Whole seconds on the wire; keepaliveMs = keepaliveS × 1000. */
  keepaliveS: number;
  protocolVersion?: 4 | 5;
  control?: boolean;
  /** Clock ms to wait for CONNACK and other answers before giving up. */
  answerTimeoutMs?: number;
  /** The PRNG of the client's random choices (reconnect jitter); default seeded from its policy and client id. */
  rand?: Rand;
  /** CONNECT's clean session (3.1.1) / clean start (5) flag; false keeps the session across a drop. Default true. */
  clean?: boolean;
}

/** A running client of some behaviour. */
export interface FleetClient {
  readonly clientId: string;
  readonly behaviour: BehaviourName;
  /** The main connection first, then any helper connections. */
  records(): ClientRecord[];
  /** Resolves when the behaviour's script has run to its end (its connections closed, or nothing left to do). */
  readonly done: Promise<void>;
  /** Stops timers and closes whatever is still open (client-side close, recorded as such). */
  stop(): Promise<void>;
  /** The relay the client dials through when its spec has a `link` (its events say what the link did). */
  readonly link?: Relay;
}

export function newRecord(
  clientId: string,
  behaviour: ClientRole,
  keepaliveS: number,
  control = false,
): ClientRecord {
  return {
    clientId,
    behaviour,
    control,
    keepaliveMs: keepaliveS * 1000,
    connectedAt: null,
    lastSentAt: null,
    closedAt: null,
    closedBy: null,
    clientTimeoutAt: null,
    reconnectedAt: [],
    closeKind: null,
    reasonCode: null,
    bytesReceived: 0,
    localPort: null,
    events: [],
    notes: {},
  };
}
