import type { ServerKeepalive } from "../../core/profile.js";

/**
 * Client library keepalive models: when an MQTT client library sends PINGREQ on an idle connection and when it
 * gives up without a PINGRESP. One file per library beside this one; the catalogue (catalogue.ts) lists them and
 * versus-broker.ts sets one against a broker model (predict.ts). docs/commands/clients.md says where each rule came from.
 *
 * Every time here is client-clock ms counted from the moment the client SENDS its CONNECT (t = 0).
 */

export const CLIENT_LIBRARY_IDS = [
  "mqttjs",
  "mqttjs-4",
  "mqtt-c",
  "paho-c",
  "paho-python",
  "libmosquitto",
  "paho-java",
  "esp-mqtt",
  "pubsubclient",
  "coremqtt",
] as const;
export type ClientLibraryId = (typeof CLIENT_LIBRARY_IDS)[number];

/** The conditions a client runs under. */
export interface ClientConditions {
  /** The keepalive the client asks for in its CONNECT, ms (whole seconds on the wire; 0 = off). */
  keepaliveMs: number;
  /**
   * The broker's Server Keep Alive rule (MQTT 5 CONNACK, [MQTT-3.1.2-21]); absent = every client keeps what it
   * asked. What each library then pings with is its `serverKeepAlive` handling (./server-keepalive.ts).
   */
  serverKeepalive?: ServerKeepalive;
  /** One-way network latency, ms (both ways alike): a PINGRESP comes back 2 × this after the PINGREQ. */
  oneWayLatencyMs: number;
  /** How often the application drives a library that needs it (`mqtt_sync`, `loop()`, `ProcessLoop`), ms. */
  loopIntervalMs: number;
}

export const DEFAULT_LOOP_INTERVAL_MS = 100;

/** Where the library's keepalive clock starts. */
export type ClockStart = "connect-sent" | "connack-received";

/** What the library counts its next PINGREQ from. */
export type PingAnchor = "last-send" | "last-send-or-receive" | "last-pingresp" | "previous-pingreq";

/**
 * What a library does with a CONNACK's Server Keep Alive: `honours` (pings at the broker's value, as
 * [MQTT-3.1.2-21] requires), `ignores` (keeps pinging at its own while the broker watches the told one),
 * `mqtt311-only` (it never speaks MQTT 5, so it is never told), `unknown` (not measured, not read: assumed to honour).
 */
export interface ServerKeepAliveHandling {
  handling: "honours" | "ignores" | "mqtt311-only" | "unknown";
  /** How we know, in one phrase: the measurement or the source. */
  evidence: string;
}

/**
 * Whether the library sends a DISCONNECT before it closes its socket when it gives up on an unanswered PINGREQ
 * (where the link carries it, the broker then sees a clean DISCONNECT rather than a takeover or a FIN).
 */
export interface GiveUpDisconnect {
  sends: boolean;
  /** How we know, in one phrase: measured here, read in the source, or assumed (not run, not read). */
  evidence: string;
}

/** Where a model's rule comes from: measured side by side with the real library, or read from its source only. */
export type ModelSource = "measured" | "model";

export interface KnownBug {
  /** The affected versions, e.g. "5.5.5–5.5.6". */
  versions: string;
  /** What goes wrong with keepalive, in one sentence. */
  summary: string;
  /** The upstream issue or change, e.g. "paho.mqtt.c#1277". */
  reference: string;
}

/** What a side-by-side measurement compares: the first PINGREQ after CONNECT, the idle gap, the give-up after one. */
export type IdleQuantity = "first-gap" | "gap" | "give-up";

/**
 * Where the real library, measured side by side with this model (src/clients/real), does not do what the rule
 * says: named, with how far outside the model's range it was seen, so the comparison still fails beyond that.
 * A difference in the idle gap holds for the first gap too (the first gap is an idle gap after the CONNECT).
 */
export interface MeasuredDifference {
  quantity: IdleQuantity;
  name: string;
  /** What the real library does instead, with the numbers measured. */
  summary: string;
  /** How far before the model's earliest and after its latest the real library may fall, ms, at `c`. */
  beyond(c: ClientConditions): { earlyMs: number; lateMs: number };
}

/** Bounds of a time: minMs ≤ t ≤ maxMs over every clock/loop phase (equal when the rule is exact). */
export interface MsRange {
  minMs: number;
  maxMs: number;
}

/**
 * An idle client on a healthy link (each PINGRESP arrives 2 × latency after its PINGREQ), for one phase of its
 * clocks: its PINGREQ send times; `giveUpAt[i]`, when it would give up if PINGREQ i were never answered (null = it
 * never would); and `gaveUpAt`, when it gives up on THIS link because a PINGRESP came too late (null = it does not,
 * within these pings; the pings stop there).
 */
export interface IdleRun {
  pingsAt: number[];
  giveUpAt: (number | null)[];
  gaveUpAt: number | null;
}

export interface ClientModel {
  id: ClientLibraryId;
  name: string;
  /** The versions whose rule this is, e.g. "5.6–5.16". */
  versions: string;
  /** Whether the real library runs on this machine (and can so be measured side by side). */
  runnableHere: boolean;
  /** "model" until a side-by-side test with the real library proves the rule; then "measured". */
  source: ModelSource;
  /** Where the rule was read: files and functions of the library's source. */
  evidence: string;
  /** The rule in one sentence (ping and give-up), for reports. */
  rule: string;
  clockStart: ClockStart;
  anchor: PingAnchor;
  /** The library compares whole seconds (`time()`), so its times shift with where in a second it connected. */
  wholeSecondClock: boolean;
  /** The library pings only from calls the application makes (`ClientConditions.loopIntervalMs`). */
  needsAppLoop: boolean;
  knownBugs: readonly KnownBug[];
  serverKeepAlive: ServerKeepAliveHandling;
  /** Its DISCONNECT (or none) when it gives up on a PINGREQ (a library that never gives up: false). */
  disconnectsOnGiveUp: GiveUpDisconnect;
  /** Keepalives the library refuses to connect with (the verdict is then the rule as if it accepted): why, or null. */
  refusesKeepalive?(keepaliveMs: number): string | null;
  /** Where the real library, measured beside this model, differs from it (only for `source: "measured"`). */
  measuredDifferences?: readonly MeasuredDifference[];
  /**
   * How many phases of its clocks change the outcome: 1 = deterministic. `idleRun` takes phase ∈ [0, 1): where in
   * a wall-clock second the CONNECT went (whole-second clocks), or where in its check/loop period.
   */
  phased: boolean;
  /**
   * How many PINGREQs it takes for the outcome to show, where its rhythm slides against the broker's over a long
   * connection (an application loop slower than its period); absent = HORIZON_PINGS (ranges.ts).
   */
  horizonPings?(c: ClientConditions): number;
  /** The PINGREQs of an idle client (at most `pings`, in send order) and when each would be given up on. */
  idleRun(c: ClientConditions, phase: number, pings: number): IdleRun;
}
