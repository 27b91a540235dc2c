/**
 * The link between a fleet client and the broker (CONTRIBUTING.md, "A link between client and broker"): faults a relay
 * applies to the bytes, after Toxiproxy's toxics. All times are clock ms; a fault's window is counted from the
 * link's start (when the relay was created, just before its client dials), so at ×20 a stall of 60 scenario s
 * lasts 3 real s.
 */

/** Which bytes a fault acts on (a direction), named after where they are going. */
export type Direction = "to-broker" | "to-client";
export type Directions = Direction | "both";
export const DIRECTIONS: readonly Direction[] = ["to-broker", "to-client"];

/** When a fault is active: from `atMs` after the link started (default 0), for `forMs` (default null: for good). */
export interface FaultWindow {
  atMs?: number;
  forMs?: number | null;
}

/** Each chunk is held `latencyMs` ± up to `jitterMs` (uniform); TCP never reorders, so neither does the relay. */
export interface LatencyFault extends FaultWindow {
  kind: "latency";
  direction?: Directions;
  latencyMs: number;
  jitterMs?: number;
}

/** At most `bytesPerSecond` (per clock second) each way it applies to. */
export interface BandwidthFault extends FaultWindow {
  kind: "bandwidth";
  direction?: Directions;
  bytesPerSecond: number;
}

/**
 * Bytes (and FIN/RST) are held: no data, no close, a half-open link. With `scope` "all" (the default) new
 * connections opened meanwhile are accepted by the relay but reach the broker only when the stall ends (their
 * SYN is "lost"); with "existing" only the connections already through when it starts are held, and new ones
 * pass (the client found another path: Wi-Fi to cellular, a new NAT mapping). At the end, `release` says what
 * becomes of the held connections: `flush` delivers everything held, in order (TCP retransmission after a short
 * outage); `strand` leaves them held for good (the path is gone: the client's address changed, power loss).
 */
export interface StallFault extends FaultWindow {
  kind: "stall";
  direction?: Directions;
  release?: "flush" | "strand";
  scope?: "all" | "existing";
}

/** A FIN (or RST) is delivered `delayMs` later than it would have been (Toxiproxy's slow_close). */
export interface SlowCloseFault extends FaultWindow {
  kind: "slow-close";
  direction?: Directions;
  delayMs: number;
}

/** At `atMs`, every open connection is reset: RST to the broker, to the client, or both (Toxiproxy's reset_peer). */
export interface ResetFault {
  kind: "reset";
  atMs: number;
  direction?: Directions;
}

/** MQTT-aware faults act on whole packets of one type: PINGREQ goes to the broker, PINGRESP to the client. */
export type PingPacket = "pingreq" | "pingresp";
export const PING_PACKETS: readonly PingPacket[] = ["pingreq", "pingresp"];
export const PACKET_TYPE: Record<PingPacket, number> = { pingreq: 12, pingresp: 13 };
export const PACKET_DIRECTION: Record<PingPacket, Direction> = {
  pingreq: "to-broker",
  pingresp: "to-client",
};

/** Drops the packet (each one with `probability`, default 1: every one; the draw is from the link's seeded PRNG). */
export interface DropFault extends FaultWindow {
  kind: "drop";
  packet: PingPacket;
  probability?: number;
}

/** Delays the packet by `delayMs` — and, since TCP keeps order, everything after it on that way. */
export interface DelayFault extends FaultWindow {
  kind: "delay";
  packet: PingPacket;
  delayMs: number;
}

export type LinkFault =
  | LatencyFault
  | BandwidthFault
  | StallFault
  | SlowCloseFault
  | ResetFault
  | DropFault
  | DelayFault;

/** A link: its faults, and the seed of its PRNG (jitter, drop probability). No faults = a transparent relay. */
export interface LinkSpec {
  faults: LinkFault[];
  seed?: number;
}

/** What the relay did, on the clock, for reports and tests. `conn` numbers the relay's connections from 1. */
export interface LinkEvent {
  at: number;
  conn: number;
  kind:
    | "accepted"
    | "dialed"
    | "stall-start"
    | "stall-end"
    | "stranded"
    | "reset"
    | "dropped"
    | "delayed"
    | "closed"
    /** The broker's end of a connection closed (its FIN or RST reached the relay), whether or not it is held. */
    | "broker-closed";
  direction?: Direction;
  packet?: PingPacket;
}

export function directionsOf(way: Directions | undefined): readonly Direction[] {
  return way === undefined || way === "both" ? DIRECTIONS : [way];
}

/** Whether `fault` is active `sinceStartMs` after the link started. */
export function activeAt(fault: FaultWindow, sinceStartMs: number): boolean {
  const at = fault.atMs ?? 0;
  const end = fault.forMs === null || fault.forMs === undefined ? Number.POSITIVE_INFINITY : at + fault.forMs;
  return sinceStartMs >= at && sinceStartMs < end;
}
