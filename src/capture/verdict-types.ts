import type { ViolationKind } from "../broker/wire/violation.js";
import type { MissedReason, PacketRef } from "./tcp-direction.js";
import type { CloseEvent, ConnectionTimeline, Side } from "./timeline.js";
import type { Blindness, VantageReading } from "./vantage.js";

/** How a connection ended, as the capture shows it. */
export const ENDINGS = [
  "kicked",
  "client-disconnect",
  "client-closed",
  "client-reset",
  "malformed",
  "takeover",
  "open-at-end",
  "unknown",
] as const;
export type Ending = (typeof ENDINGS)[number];

/** Why, as far as the capture supports it; `undecidable` carries its reason. */
export const CAUSES = [
  "client-late",
  "network",
  "pingresp-missing",
  "malformed",
  "duplicate-client-id",
  "none",
  "undecidable",
] as const;
export type Cause = (typeof CAUSES)[number];

/** A broker's close against its model's kick window: `not-modelled` when no window applies (keepalive unknown). */
export type KickTiming = "on-time" | "early" | "late" | "not-modelled";

export type UndecidableReason =
  | "no-connect"
  | "capture-missed-client-bytes"
  | "tls"
  | "no-close-seen"
  | "broker-closed-after-client-data"
  | "kick-or-takeover";

/** One fact the verdict rests on, at a packet of the capture. Words are the reporter's (capture-words.ts). */
export type EvidenceFact =
  | { kind: "connect"; clientId: string; keepaliveS: number; protocolVersion: number }
  | { kind: "server-keepalive"; keepaliveS: number }
  | { kind: "connack-refused"; code: number }
  | { kind: "close"; by: Side; how: CloseEvent["how"]; reasonCode?: number }
  | { kind: "last-client-packet"; packetName: string }
  /** keepaliveMs null: unknown (TLS, timing only). */
  | { kind: "silence"; ms: number; keepaliveMs: number | null }
  | { kind: "longest-gap"; ms: number; keepaliveMs: number; fromPacket: number }
  | { kind: "kick-window"; earliestMs: number; latestMs: number; kickMs: number; toleranceMs: number }
  | { kind: "retransmitted"; side: Side; bytes: number }
  | { kind: "filled-late"; side: Side; bytes: number; holeMs: number }
  | { kind: "missed"; side: Side; bytes: number; reason: MissedReason }
  | { kind: "unacknowledged"; side: Side }
  | { kind: "pingreq-unanswered"; waitedMs: number }
  | { kind: "violation"; violation: ViolationKind }
  | { kind: "taken-over"; byConnection: number }
  | { kind: "takes-over"; ofConnection: number }
  | { kind: "encrypted"; records: number }
  | { kind: "undecidable"; reason: UndecidableReason }
  | { kind: "half-open"; silentMs: number; overdueMs: number }
  | { kind: "library-rhythm"; libraries: string[]; gapMs: number };

export interface Evidence {
  at: PacketRef;
  fact: EvidenceFact;
}

export interface Verdict {
  ending: Ending;
  cause: Cause;
  /** For `kicked`: the close against the broker model's window. For `open-at-end`, `late` when the model's kick is
   * past and no close came by the end of the capture (`atMs`): half-open, or a broker not enforcing keepalive. */
  kick?: { timing: KickTiming; earliestMs: number | null; latestMs: number | null; atMs: number };
  vantage: VantageReading;
  blind: Blindness;
  /** TLS: the verdict rests on packet timing only, never on decoded MQTT. */
  inferred: boolean;
  evidence: Evidence[];
}

/** One connection of a capture and what it shows. */
export interface ConnectionVerdict {
  timeline: ConnectionTimeline;
  verdict: Verdict;
}
