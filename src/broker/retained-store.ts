import mqttPacket, { type IPublishPacket } from "mqtt-packet";
import { FrameReader } from "../mqtt-wire/frame-reader.js";
import { parseFrame } from "./wire/decode.js";

/**
 * Retained messages, stored as the ENCODED PUBLISH and re-decoded on delivery, as NanoMQ does; so a corrupted
 * stored copy fails to decode exactly where NanoMQ's does ("decode retain msg failed").
 */
export class RetainedStore {
  private readonly byTopic = new Map<string, Buffer>();
  /** Clock ms each was received: its (5.0) Message Expiry Interval counts from there (sessions/message-expiry.ts). */
  private readonly receivedAtByTopic = new Map<string, number>();

  /** Stores the message (a zero-length payload deletes instead and is not stored [MQTT-3.3.1-10/11]). */
  set(topic: string, encoded: Buffer | null, receivedAt?: number): void {
    if (encoded === null) this.delete(topic);
    else {
      this.byTopic.set(topic, encoded);
      if (receivedAt === undefined) this.receivedAtByTopic.delete(topic);
      else this.receivedAtByTopic.set(topic, receivedAt);
    }
  }

  delete(topic: string): void {
    this.byTopic.delete(topic);
    this.receivedAtByTopic.delete(topic);
  }

  receivedAt(topic: string): number | undefined {
    return this.receivedAtByTopic.get(topic);
  }

  topics(): string[] {
    return [...this.byTopic.keys()];
  }

  get(topic: string): Buffer | undefined {
    return this.byTopic.get(topic);
  }

  size(): number {
    return this.byTopic.size;
  }
}

/** The stored form of a retained message: always encoded as MQTT 5 (it keeps the properties). */
export function encodeRetained(packet: IPublishPacket): Buffer {
  return mqttPacket.generate(
    {
      cmd: "publish",
      topic: packet.topic,
      payload: packet.payload,
      qos: packet.qos,
      retain: true,
      dup: false,
      ...(packet.qos > 0 ? { messageId: 1 } : {}),
      ...(packet.properties ? { properties: withoutAlias(packet.properties) } : {}),
    },
    { protocolVersion: 5 },
  );
}

function withoutAlias(properties: NonNullable<IPublishPacket["properties"]>) {
  const { topicAlias: _alias, subscriptionIdentifier: _sid, ...rest } = properties;
  return rest;
}

/** Re-decodes a stored copy; undefined when it is not one valid PUBLISH. */
export function decodeRetained(encoded: Buffer): IPublishPacket | undefined {
  const reader = new FrameReader();
  reader.push(encoded);
  const read = reader.next();
  if (read.kind !== "frame" || reader.buffered() !== 0) return undefined;
  const decoded = parseFrame(read.frame, 5);
  return decoded.ok && decoded.packet.cmd === "publish" ? decoded.packet : undefined;
}

/** The `corruptRetained` fault: breaks the stored copy's remaining length and cuts it short. */
export function corruptEncoded(encoded: Buffer): Buffer {
  const broken = Buffer.from(encoded.subarray(0, Math.max(2, Math.floor(encoded.length / 2))));
  broken[1] = 0xff; // a continuation bit with nothing valid after it
  return broken;
}
