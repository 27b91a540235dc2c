import type { ViolationKind } from "../broker/wire/violation.js";
import type { MissedReason, PacketRef } from "./tcp-direction.js";

export type Side = "client" | "broker";

export interface Endpoint {
  addr: string;
  port: number;
}

/** How the client end was told from the broker end. */
export type RoleEvidence = "syn" | "connect" | "port";

/** What the connection's bytes were read as. */
export type Transport = "mqtt" | "tls";

export interface ConnectInfo {
  at: PacketRef;
  clientId: string;
  protocolVersion: number;
  keepaliveS: number;
  cleanStart: boolean;
}

export interface ConnackInfo {
  at: PacketRef;
  /** 3.1.1 return code or MQTT 5 reason code. */
  code: number;
  /** MQTT 5 Server Keep Alive (0x13): the keepalive the client must use instead of its own. */
  serverKeepAliveS?: number;
}

/** The first close of each kind the connection saw. */
export interface CloseEvent {
  by: Side;
  how: "disconnect" | "fin" | "rst";
  at: PacketRef;
  /** DISCONNECT's reason code (MQTT 5, or NanoMQ's v5-style DISCONNECT on 3.1.1); 0 when it carries none. */
  reasonCode?: number;
}

/** A sign that the network, not the client, lost or delayed something. */
export interface LossEvent {
  side: Side;
  kind: "retransmitted" | "filled-late";
  bytes: number;
  at: PacketRef;
  /** filled-late: when the hole opened. */
  since?: PacketRef;
}

/** Bytes the capture itself never recorded (the network delivered them). */
export interface MissedEvent {
  side: Side;
  bytes: number;
  at: PacketRef;
  reason: MissedReason;
}

/** A gap between two consecutive client packets (MQTT packets; encrypted records for TLS). */
export interface Gap {
  from: PacketRef;
  to: PacketRef;
}

/**
 * One connection as the capture shows it: bounded whatever the connection's length (the newest loss and missed
 * events, the last few ping gaps, and running maxima; never every packet). Verdicts are pure functions of this.
 */
export interface ConnectionTimeline {
  /** 1-based, in order of each connection's first packet. */
  id: number;
  client: Endpoint;
  broker: Endpoint;
  roles: RoleEvidence;
  transport: Transport;
  first: PacketRef;
  last: PacketRef;
  synSeen: boolean;
  connect?: ConnectInfo;
  connack?: ConnackInfo;
  /** Packets by name (`pingreq`, `publish`, …, `tls-record` for encrypted data), per side. */
  counts: Record<Side, Partial<Record<string, number>>>;
  /** The client's last packet and the one before it (MQTT after its CONNECT, else any data). */
  lastClient?: PacketRef;
  lastClientKind?: string;
  lastBroker?: PacketRef;
  /** The longest silence between consecutive client packets after its CONNECT. */
  longestClientGap?: Gap;
  /** The last gaps between consecutive PINGREQs (ms), oldest first: the client's ping rhythm. */
  pingGapsMs: number[];
  lastPingreq?: PacketRef;
  lastPingresp?: PacketRef;
  /** PINGREQs with no PINGRESP before the next PINGREQ (the first of them, and how many); one still unanswered
   * at the end is lastPingreq later than lastPingresp. */
  unansweredPing?: PacketRef;
  unansweredPings: number;
  /** The first packet of the client that the broker's decoder refuses (src/broker/wire/decode.ts). */
  violation?: { at: PacketRef; kind: ViolationKind };
  closes: CloseEvent[];
  /** A later connection CONNECTed with the same client id while this one was open. */
  takenOverBy?: { connection: number; at: PacketRef };
  /** This connection's CONNECT took over the client id of that (still open) connection. */
  tookOver?: number;
  losses: LossEvent[];
  missed: MissedEvent[];
  /** Smallest delay seen between one side's segment and the other side's answer to it (ms): vantage and RTT. */
  brokerAnswerMs?: number;
  clientAnswerMs?: number;
  /** The client's oldest data the broker never acknowledged (at the end): lost on the way, if the capture is
   * on the client's side. */
  clientUnacked?: PacketRef;
  /** Set when both ends closed or one reset; absent = open when the capture ended. */
  ended?: PacketRef;
  /** Bytes that could not be read as MQTT (a stream entered mid-way, or after missed bytes, until resynchronised). */
  unparsedBytes: Record<Side, number>;
}

/** The newest loss and missed events kept per connection. */
export const MAX_EVENTS_KEPT = 64;
export const MAX_PING_GAPS_KEPT = 16;
