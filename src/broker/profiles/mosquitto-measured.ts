import type { SignatureId } from "../../signatures/types.js";

/**
 * What the real mosquitto 2.0.11 does, measured against it on loopback (test/integration/mosquitto-real.test.ts is
 * the proof and fails if the real broker disagrees; docs/mosquitto-measured.md has the numbers). The embedded
 * broker's `mosquitto` profile reacts from this table, so the two cannot drift apart.
 */
export interface SignatureRef {
  id: SignatureId;
  key: string;
}

/** How the client sees mosquitto close: a FIN, or an RST (mosquitto closed with unread input in its buffer). */
export type CloseKind = "fin" | "rst";

export interface MeasuredReaction {
  /** The broker closed the connection at once (measured: < 5 ms on loopback). */
  closes: boolean;
  /** The catalogue signature (id + template key) of the line that ends the client, or null when it logs nothing. */
  signature: { id: SignatureId; key: string } | null;
  /** Bytes the client receives in answer before any close (hex), or null for none. */
  reply: string | null;
  /** Lines logged before `signature`, in order (e.g. INFO `Invalid QoS in PUBLISH from <id>, disconnecting.`). */
  preceding?: readonly SignatureRef[];
  /** How the close reaches the client when `closes`; default "fin". */
  closeKind?: CloseKind;
  /**
   * The close is an RST instead when input the broker never read is still in its socket buffer (the kernel resets
   * a socket closed with unread data): it depends on the bytes the client sent, not on the broker.
   */
  resetIfUnread?: boolean;
  /** Where an MQTT 5 connection differs (everything not given is as above). */
  v5?: Partial<Omit<MeasuredReaction, "v5">>;
}

const PROTOCOL: SignatureRef = { id: "protocol-error", key: "protocol" };
const MALFORMED: SignatureRef = { id: "malformed-packet", key: "malformed" };
/** mosquitto 2.0.11 sends a v5 DISCONNECT without a properties length: `e0 01 <reason>`. */
const V5_MALFORMED = { reply: "e00181" } as const;
const V5_PROTOCOL = { reply: "e00182" } as const;

/**
 * Keyed by the variant names of src/fleet/malformed.ts (plus a few more violation kinds); every row measured on
 * 3.1.1 and 5. The variants' bytes are 3.1.1 encodings: the MQTT 5 rows are for the same violation encoded for 5
 * (a property length added to PUBLISH and SUBSCRIBE); the 3.1.1 bytes of a PUBLISH sent on a 5 connection are
 * `undecodable` instead. On 3.1.1 mosquitto never answers a bad packet, it only closes; on 5 it sends DISCONNECT
 * 0x81/0x82 first, except for the 5-byte remaining length, which it rejects while still framing the packet.
 * Not tabled because mosquitto treats them per packet type: server-only packets (CONNACK → `Bad socket read/write
 * on client <id>: Invalid function arguments provided.`; SUBACK accepted on 3.1.1, protocol error on 5; PINGRESP
 * accepted), reserved flags (SUBSCRIBE → malformed, PUBACK accepted, DISCONNECT → protocol error), and a second
 * CONNECT (`Bad client <id> sending multiple CONNECT messages.` then protocol error, no DISCONNECT on 5).
 */
export const MOSQUITTO_MALFORMED: Readonly<Record<string, MeasuredReaction>> = {
  "remaining-length-overflow": { closes: true, signature: PROTOCOL, reply: null },
  "publish-qos3": {
    closes: true,
    signature: MALFORMED,
    reply: null,
    preceding: [{ id: "malformed-packet", key: "invalid-qos" }],
    v5: V5_MALFORMED,
  },
  "publish-qos1-packet-id-0": { closes: true, signature: PROTOCOL, reply: null, v5: V5_PROTOCOL },
  "publish-empty": { closes: true, signature: MALFORMED, reply: null, v5: V5_MALFORMED },
  "subscribe-empty": { closes: true, signature: MALFORMED, reply: null, v5: V5_MALFORMED },
  "publish-wildcard-topic": { closes: true, signature: PROTOCOL, reply: null, v5: V5_PROTOCOL },
  "publish-bad-utf8-topic": { closes: true, signature: MALFORMED, reply: null, v5: V5_MALFORMED },
  "packet-type-0": { closes: true, signature: PROTOCOL, reply: null, v5: V5_PROTOCOL },
  // Flag bits on PINGREQ are not checked: answered, logged only at DEBUG (Received PINGREQ / Sending PINGRESP).
  "pingreq-flags": { closes: false, signature: null, reply: "d000" },
  // Before CONNECT the client id is MOSQUITTO_UNKNOWN_ID; the unread rest of the request turns the close into an RST.
  "garbage-before-connect": { closes: true, signature: PROTOCOL, reply: null, closeKind: "rst" },

  // Further violation kinds of src/broker/wire/violation.ts, measured the same way:
  /** AUTH (type 15) on 3.1.1 (`f0 00`); a bare `f0 00` on 5 is a protocol error too, with no DISCONNECT. */
  "auth-on-v311": { closes: true, signature: PROTOCOL, reply: null },
  /** PUBLISH with a zero-length topic and no alias: malformed on 3.1.1, protocol error 0x82 on 5. */
  "publish-empty-topic": {
    closes: true,
    signature: MALFORMED,
    reply: null,
    v5: { signature: PROTOCOL, ...V5_PROTOCOL },
  },
  /**
   * What a strict decoder refuses: measured with UNSUBSCRIBE without a topic filter (3.1.1 and 5) and with a 3.1.1
   * PUBLISH (no property length) sent on an MQTT 5 connection — the property length overruns the packet.
   */
  undecodable: { closes: true, signature: MALFORMED, reply: null, v5: V5_MALFORMED },
  /**
   * A packet over max_packet_size, measured with `max_packet_size` set (stock mosquitto has no limit; the embedded
   * broker always has one, src/broker/limits.ts): closed as soon as the length is read, with `Client <id>
   * disconnected due to oversize packet.`; MQTT 5 gets DISCONNECT 0x95 (`e0 01 95`) first. How the close arrives
   * depends on what the client sent after the header (20 tries per case idle, 20 with both cores busy):
   * - the header alone: a FIN, on 3.1.1 and 5 alike (40/40 each);
   * - header + 20 or 1000 body bytes: on 3.1.1 always an RST (80/80: the unread body is in the buffer at the
   *   close); on 5 a FIN or an RST from run to run (55 FIN / 25 RST; idle 15/25, busy 40/0), as mosquitto's
   *   DISCONNECT write races the rest of the body. The profile resets on 3.1.1 with unread input and closes with a
   *   FIN on 5, the more common outcome; test/integration/mosquitto-oversize.test.ts accepts both from the real one.
   */
  "packet-too-large": {
    closes: true,
    signature: { id: "malformed-packet", key: "oversize" },
    reply: null,
    resetIfUnread: true,
    v5: { reply: "e00195", resetIfUnread: false },
  },
};

/** The reaction for a variant on a connection of this protocol version (4 = 3.1.1, 5 = MQTT 5). */
export function mosquittoReaction(name: string, protocolVersion: number): MeasuredReaction | undefined {
  const row = MOSQUITTO_MALFORMED[name];
  if (!row) return undefined;
  const { v5, ...base } = row;
  const merged: MeasuredReaction = protocolVersion === 5 && v5 ? { ...base, ...v5 } : base;
  return { ...merged, closeKind: merged.closeKind ?? "fin" };
}

/** What mosquitto logs as the client id of a connection that has not sent CONNECT. */
export const MOSQUITTO_UNKNOWN_ID = "<unknown>";

/**
 * How a keepalive kick looks, measured (15 clients, keepalive 1..5). The sweep's arithmetic — a broker-wide check
 * every 6 whole seconds from start-up, kicking when `now_s - last_in_s > k*3/2` in C integer arithmetic — is the
 * keepalive model's (src/keepalive/mosquitto-arithmetic.ts, the one copy); test/integration/mosquitto-real.test.ts
 * checks the real kicks against it.
 */
export const MOSQUITTO_KEEPALIVE = {
  /** Measured lag of a sweep after its whole second: ≤ 52 ms (bounded by the 100 ms epoll timeout). */
  maxSweepLagMs: 100,
  /** A kicked client sees a plain FIN, on MQTT 5 too: no DISCONNECT 0x8D. */
  kickReply: null,
  kickCloseKind: "fin" as CloseKind,
  kick: { id: "keepalive-timeout", key: "kick" } as SignatureRef,
} as const;

/** Lifecycle facts, measured on 3.1.1 and 5 unless a field says otherwise. */
export const MOSQUITTO_LIFECYCLE = {
  /**
   * TCP open and no CONNECT (or a partial one): the connection gets keepalive 60 s and the same sweep, so it is
   * closed (FIN) 90–96 s after it opened (measured 95.1 s), with `Client <unknown> has exceeded timeout,
   * disconnecting.`
   */
  noConnect: {
    timeoutMs: 90_000,
    windowMs: [90_000, 96_100] as const,
    signature: { id: "keepalive-timeout", key: "kick" } as SignatureRef,
    clientId: MOSQUITTO_UNKNOWN_ID,
    closeKind: "fin" as CloseKind,
  },
  /** A TCP connection closed (FIN or RST) before CONNECT: `Client <unknown> closed its connection.` */
  closedBeforeConnect: { signature: { id: "peer-closed", key: "closed" } as SignatureRef },
  /** RST and FIN without DISCONNECT are logged alike; the will is published at once (measured ~40 ms). */
  peerReset: { signature: { id: "peer-closed", key: "closed" } as SignatureRef, publishesWill: true },
  peerClosed: { signature: { id: "peer-closed", key: "closed" } as SignatureRef, publishesWill: true },
  /** DISCONNECT: DEBUG `Received DISCONNECT from <id>` then NOTICE `Client <id> disconnected.`; mosquitto closes (FIN). */
  cleanDisconnect: {
    lines: [
      { id: "client-disconnect", key: "received" },
      { id: "client-disconnect", key: "disconnected" },
    ] as readonly SignatureRef[],
    closeKind: "fin" as CloseKind,
    publishesWill: false,
  },
  /**
   * Takeover: ERROR `Client <id> already connected, closing old connection.` (before the new `New client
   * connected` line); the old connection gets a plain FIN, on MQTT 5 too (no DISCONNECT 0x8E), and nothing else is
   * logged for it. The new one gets a normal CONNACK (session present 0 with clean start).
   */
  takeover: {
    signature: { id: "takeover", key: "collision" } as SignatureRef,
    level: "ERROR",
    oldReply: null,
    oldCloseKind: "fin" as CloseKind,
  },
} as const;
