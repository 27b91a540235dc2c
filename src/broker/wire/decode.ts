import mqttPacket, { type Packet, type Parser } from "mqtt-packet";
import type { Frame } from "../../mqtt-wire/frame-reader.js";
import type { Violation, ViolationKind } from "./violation.js";

export type Decoded = { ok: true; packet: Packet } | { ok: false; violation: Violation };

const CONNECT = 1;
const PUBLISH = 3;
const SUBSCRIBE = 8;
const PINGREQ = 12;
const AUTH = 15;
const SERVER_ONLY = new Set([2, 9, 11, 13]); // CONNACK, SUBACK, UNSUBACK, PINGRESP
/** Fixed flags a packet type must carry [MQTT-2.2.2-1]; PUBLISH (3) has its own. */
const REQUIRED_FLAGS: Record<number, number> = {
  1: 0,
  2: 0,
  4: 0,
  5: 0,
  6: 2,
  7: 0,
  8: 2,
  9: 0,
  10: 2,
  11: 0,
  12: 0,
  13: 0,
  14: 0,
  15: 0,
};

function fail(kind: ViolationKind, frame: Frame, extra: Partial<Violation> = {}): Decoded {
  return { ok: false, violation: { kind, packetType: frame.type, ...extra } };
}

/** Checks of byte 1 and the frame size that come before decoding. */
function headerViolation(frame: Frame, protocolVersion: number): Decoded | undefined {
  if (frame.type === 0) return fail("packet-type-0", frame);
  if (frame.type === AUTH && protocolVersion !== 5) return fail("auth-on-v311", frame);
  if (frame.type === CONNECT) return fail("second-connect", frame);
  if (frame.type === PINGREQ && frame.flags !== 0) return fail("pingreq-flags", frame);
  if (frame.type === PUBLISH) {
    if ((frame.flags & 0x06) === 0x06) return fail("publish-qos3", frame);
    if (frame.remainingLength === 0) return fail("publish-empty", frame);
  } else if (REQUIRED_FLAGS[frame.type] !== frame.flags) {
    return fail("reserved-flags", frame);
  }
  if (SERVER_ONLY.has(frame.type)) return fail("server-packet", frame);
  if (frame.type === SUBSCRIBE && frame.remainingLength <= 2)
    return fail("subscribe-empty", frame, { packetId: packetIdOf(frame) });
  return undefined;
}

/** The packet identifier right after the fixed header (SUBSCRIBE), when the frame has one. */
function packetIdOf(frame: Frame): number | undefined {
  return frame.bytes.length >= frame.bodyOffset + 2 ? frame.bytes.readUInt16BE(frame.bodyOffset) : undefined;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The raw topic bytes of a PUBLISH frame (length-prefixed string right after the fixed header). */
function rawTopic(frame: Frame): Buffer | undefined {
  const at = frame.bodyOffset;
  if (frame.bytes.length < at + 2) return undefined;
  const len = frame.bytes.readUInt16BE(at);
  if (frame.bytes.length < at + 2 + len) return undefined;
  return frame.bytes.subarray(at + 2, at + 2 + len);
}

/** Checks of a decoded packet's content (topic names, packet ids). */
function contentViolation(frame: Frame, packet: Packet): Decoded | undefined {
  if (packet.cmd === "publish") {
    const raw = rawTopic(frame);
    const topicBytes = raw?.length ?? 0;
    try {
      if (raw) strictUtf8.decode(raw);
    } catch {
      // [MQTT-1.5.3-1] a topic name must be well-formed UTF-8
      return fail("publish-bad-utf8-topic", frame, { topic: packet.topic, topicBytes });
    }
    if (/[+#]/.test(packet.topic)) {
      // [MQTT-3.3.2-2] a topic name in a PUBLISH must not contain wildcards
      return fail("publish-wildcard-topic", frame, { topic: packet.topic, topicBytes });
    }
    if (packet.topic.includes("\u0000"))
      return fail("publish-bad-utf8-topic", frame, { topic: packet.topic });
    if (packet.qos > 0 && packet.messageId === 0) return fail("publish-qos1-packet-id-0", frame); // [MQTT-2.3.1-1]
    if (packet.topic === "" && packet.properties?.topicAlias === undefined)
      return fail("publish-empty-topic", frame, { topic: "", topicBytes: 0 });
  }
  if (packet.cmd === "subscribe" && packet.subscriptions.length === 0)
    return fail("subscribe-empty", frame, { packetId: packet.messageId }); // [MQTT-3.8.3-3]
  if (packet.cmd === "unsubscribe" && packet.unsubscriptions.length === 0) return fail("undecodable", frame); // [MQTT-3.10.3-2]
  return undefined;
}

/** An mqtt-packet parser kept for reuse, and what its last parse() emitted. */
interface ParserSlot {
  parser: Parser;
  packet: Packet | undefined;
  error: Error | undefined;
}

/**
 * Parsers kept between frames: one for CONNECT frames (parsing a CONNECT reads nothing from the parser's settings,
 * and replaces them with the packet), one per protocol version for the rest. A parse that ends clean (one packet,
 * no error, no byte left) leaves the parser as a fresh one (header state, new Packet, empty list), so the next frame
 * sees no difference; any other outcome drops it. Creating one per frame (an EventEmitter and a BufferList stream)
 * was the largest cost of a CONNECT after the socket write.
 */
const parsers = new Map<number, ParserSlot>();

function slotFor(key: number, protocolVersion: number): ParserSlot {
  const kept = parsers.get(key);
  if (kept) return kept;
  const slot: ParserSlot = {
    parser: mqttPacket.parser({ protocolVersion }),
    packet: undefined,
    error: undefined,
  };
  slot.parser.on("packet", (p: Packet) => {
    slot.packet ??= p;
  });
  slot.parser.on("error", (err: Error) => {
    slot.error ??= err;
  });
  parsers.set(key, slot);
  return slot;
}

/** What the last parse() emitted; the slot is left empty for the next. */
function take(slot: ParserSlot): { packet: Packet | undefined; error: Error | undefined } {
  const { packet, error } = slot;
  slot.packet = undefined;
  slot.error = undefined;
  return { packet, error };
}

/** Runs one complete frame through an mqtt-packet parser in its initial state; reports the error it emits, if any. */
export function parseFrame(frame: Frame, protocolVersion: number): Decoded {
  const key = frame.type === CONNECT ? 0 : protocolVersion;
  const slot = slotFor(key, protocolVersion);
  const left = slot.parser.parse(frame.bytes);
  const { packet, error } = take(slot);
  if (error || !packet || left !== 0) parsers.delete(key);
  if (error || !packet) return fail("undecodable", frame, { detail: error?.message ?? "incomplete packet" });
  return { ok: true, packet };
}

/** Decodes a frame received after CONNECT, or names the violation it is. */
export function decodeFrame(frame: Frame, protocolVersion: number): Decoded {
  const early = headerViolation(frame, protocolVersion);
  if (early) return early;
  const decoded = parseFrame(frame, protocolVersion);
  if (!decoded.ok) return decoded;
  return contentViolation(frame, decoded.packet) ?? decoded;
}
