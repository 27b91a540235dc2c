import type { IConnackPacket } from "mqtt-packet";
import type { CloseKind } from "../mqtt-wire/raw-session.js";
import type { ConnectFailureKind } from "../mqtt-wire/transport.js";
import type { CheckId, CheckStatus } from "./check-ids.js";
import type { KeepaliveAnswer } from "./keepalive-answer.js";
import type { KeepaliveGroup } from "./keepalive-fingerprint.js";
import type { Inferred } from "./keepalive-fit-types.js";
import type { MultiplierBound } from "./keepalive-hypotheses.js";
import type { Reading } from "./keepalive-reading.js";
import type { EarliestKick } from "./keepalive-window.js";

/**
 * One check's result: data only. `code` names what was found (reporters turn it into words); `measured` holds the
 * numbers (seconds unless the key says Ms). Each check's findings are a union keyed by `code`, each code with its
 * own `measured`; the JSON report writes them as they are built (key order included).
 */
interface Found<Id extends CheckId, Code extends string, Measured> {
  id: Id;
  status: CheckStatus;
  code: Code;
  specRef: string | null;
  measured: Measured;
}

/** `measured: {}`. */
export type NothingMeasured = Readonly<Record<string, never>>;

/** A check that did not run because `connect` found no session (any check but `connect`). */
export type NoConnectionFinding = Found<Exclude<CheckId, "connect">, "no-connection", NothingMeasured> & {
  status: "skip";
};

/** A check that lost the broker midway (refused, reset on connect). */
export type UnreachableFinding = Found<
  Exclude<CheckId, "connect">,
  "unreachable",
  { failure: ConnectFailureKind }
> & { status: "error" };

/** A check that could not set up its session: why (the connect outcome, `connack-<code>`, `no-suback`…). */
export interface NoSessionMeasured {
  reason: string;
}

// connect ------------------------------------------------------------------------------------------------------

/** How one protocol version's CONNECT went. */
export type VersionOutcome =
  | { accepted: boolean; code: number }
  | { accepted: false; closed: CloseKind }
  | { accepted: false; garbage: true }
  | { accepted: false; timeout: true };

/** Per protocol version tried ("5", "3.1.1"), in the order tried. */
export type VersionsTried = Partial<Record<"5" | "3.1.1", VersionOutcome>>;

export interface ConnectedMeasured {
  mqttVersion: "5" | "3.1.1";
  versions: VersionsTried;
  tcpMs: number;
  handshakeMs: number;
  connackMs: number;
  returnCode: 0;
  requestedKeepalive: number;
  serverKeepAlive: number | null;
  keepaliveOverridden: boolean;
  properties: NonNullable<IConnackPacket["properties"]>;
}

export interface ConnectFailedMeasured {
  versions: VersionsTried;
  timeoutMs: number;
  tcpMs: number;
}

export type ConnectFinding =
  | Found<"connect", "connected", ConnectedMeasured>
  | Found<"connect", "not-mqtt" | "closed-before-connack" | "no-connack", ConnectFailedMeasured>;

// ping ---------------------------------------------------------------------------------------------------------

export interface PingAnsweredMeasured {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface PingUnansweredMeasured {
  answered: number;
  sent: number;
  timeoutMs: number;
  /** How the broker closed the session (code `closed`); absent for `no-pingresp`. */
  closeKind?: CloseKind;
}

export type PingFinding =
  | Found<"ping", "answered", PingAnsweredMeasured>
  | Found<"ping", "no-pingresp" | "closed", PingUnansweredMeasured>
  | Found<"ping", "no-session", NoSessionMeasured>;

// keepalive ----------------------------------------------------------------------------------------------------

/** One silent session as the keepalive finding reports it (seconds). */
export interface KeepaliveSampleMeasured {
  keepalive: number;
  requestedKeepalive: number;
  kickAfter: number | null;
  closeKind: CloseKind | null;
  reasonCode: number | null;
  startOffset: number;
  round: number;
  adaptive?: true;
  planned?: true;
  error?: string;
}

/**
 * The keepalive plan (keepalive-planned.ts): what it was chosen for, which keepalives it ran, how it ended —
 * `tick` (a tick hypothesis survived: its sessions are samples), `not-tick` (none did: the broker is not
 * NanoMQ-like within the prior, and its sessions are dropped as telling nothing about it).
 */
export interface KeepalivePlanRun {
  prior: { tickS: [number, number]; multiplier: [number, number] };
  horizon: number;
  keepalives: number[];
  outcome: "tick" | "not-tick";
  /** Planned sessions stopped before their kick or the horizon, as nothing was left for them to tell. */
  endedEarly: number;
}

/** The plan in the finding, with the sessions whose outcomes set the ends of a fitted tick's multiplier range. */
export interface PlanMeasured extends KeepalivePlanRun {
  bounds: { lo: MultiplierBound | null; hi: MultiplierBound | null } | null;
}

export interface KeepaliveMeasured {
  samples: KeepaliveSampleMeasured[];
  groups: KeepaliveGroup[];
  inferred: Inferred;
  reading: Reading;
  /** Largest kick − 1.5 × keepalive among late kicks. */
  lag: number | null;
  earliestRatio: number | null;
  earliest: EarliestKick | null;
  notKicked: number;
  belowSpec: number;
  maxWait: number;
  /** `--keepalive <s>`: when the fitted model kicks a client with that keepalive. */
  forKeepalive?: KeepaliveAnswer;
  plan?: PlanMeasured;
  /**
   * The broker told the connect check's MQTT 5 client a keepalive of its own (Server Keep Alive): `seconds`, and
   * the protocol the silent sessions used — 3.1.1 when the broker accepts it (3.1.1 clients keep their keepalive),
   * else 5 (every session then runs at `seconds`, and the model cannot be told).
   */
  serverKeepAlive?: { seconds: number; sessionsMqttVersion: "3.1.1" | "5" };
}

export type KeepaliveCode =
  | "within-window"
  | "early-kick"
  | "early-whole-second"
  | "late-kick"
  | "not-kicked"
  | "no-samples"
  | "no-session";

export type KeepaliveFinding = Found<"keepalive", KeepaliveCode, KeepaliveMeasured>;

// will ---------------------------------------------------------------------------------------------------------

export interface WillMeasured {
  afterResetMs: number | null;
  silentDeaths: number;
  willsArrived: number;
  afterLastPacket: number | null;
  afterCloseMax: number | null;
  waited: number;
}

export type WillFinding =
  | Found<"will", "delivered" | "no-will-after-reset" | "no-will-after-kick" | "no-session", WillMeasured>
  /** The will watcher could not subscribe: no will could be watched. */
  | Found<"will", "no-session", NoSessionMeasured>;

// malformed ----------------------------------------------------------------------------------------------------

export interface MalformedOutcome {
  variant: string;
  closed: boolean;
  closeKind: CloseKind | null;
  /** Clock ms from sending the bytes until the close. */
  afterMs: number | null;
  reasonCode: number | null;
  /** The session could not be set up (no result for this variant). */
  error?: string;
}

export interface MalformedMeasured {
  variants: MalformedOutcome[];
  leftOpen: string[];
  maxCloseMs: number | null;
  waitedMs: number;
}

export type MalformedFinding = Found<
  "malformed",
  "closed" | "left-open" | "closed-before-send" | "no-session",
  MalformedMeasured
>;

// retain -------------------------------------------------------------------------------------------------------

/** Every retain finding: the topic written, the payload's hash, and whether the delete was confirmed. */
interface RetainBase {
  topic: string;
  sha256: string;
  deleted: boolean;
  leftBehind: string[];
}

export type RetainFinding =
  | Found<"retain", "intact", RetainBase & { readBackMs: number | null; bytes: number }>
  | Found<
      "retain",
      "corrupted",
      RetainBase & { readBackMs: number | null; gotSha256: string; gotBytes: number }
    >
  | Found<"retain", "not-retained", RetainBase & { readBackMs: number | null }>
  | Found<"retain", "no-session", RetainBase & NoSessionMeasured>
  | Found<"retain", "publish-failed" | "not-deleted" | "cleanup-unconfirmed", RetainBase>;

// takeover -----------------------------------------------------------------------------------------------------

export interface TakeoverClosedMeasured {
  closeKind: CloseKind;
  reasonCode: number | null;
  afterMs: number;
  secondAlive: boolean;
}

export type TakeoverFinding =
  | Found<"takeover", "first-closed", TakeoverClosedMeasured & { sentTakenOver: boolean }>
  | Found<"takeover", "second-closed", TakeoverClosedMeasured>
  | Found<"takeover", "first-left-open", { waitedMs: number; secondAlive: boolean }>
  | Found<"takeover", "no-session" | "second-refused", NoSessionMeasured>
  | Found<"takeover", "closed-before-takeover", NothingMeasured>;

/** A check's result: keyed by `id`, then by `code`. */
export type ProbeFinding =
  | ConnectFinding
  | PingFinding
  | KeepaliveFinding
  | WillFinding
  | MalformedFinding
  | RetainFinding
  | TakeoverFinding
  | NoConnectionFinding
  | UnreachableFinding;

/** The findings a check makes itself (not the runner's `no-connection` and `unreachable`). */
export type OwnFinding = Exclude<ProbeFinding, NoConnectionFinding | UnreachableFinding>;

/** One check's own findings. */
export type FindingOf<Id extends CheckId> = Extract<OwnFinding, { id: Id }>;

/** Whether a finding is the check's own (it ran), with its own `measured`. */
export function isOwn(f: ProbeFinding): f is OwnFinding {
  return f.code !== "no-connection" && f.code !== "unreachable";
}

/** The finding check `id` made itself, if it ran. */
export function ownFinding<Id extends CheckId>(
  checks: readonly ProbeFinding[],
  id: Id,
): FindingOf<Id> | undefined {
  return checks.find((c): c is FindingOf<Id> => c.id === id && isOwn(c));
}
