import { type Frame, FrameReader } from "../mqtt-wire/frame-reader.js";
import type { PacketRef } from "./tcp-direction.js";

/** Frames larger than this are not buffered: their type and end are recorded, their bytes skipped. */
const MAX_FRAME_BYTES = 256 * 1024;

export interface FrameListener {
  frame(frame: Frame, at: PacketRef): void;
  /** A frame too large to keep: only its first byte is known. */
  largeFrame(firstByte: number, at: PacketRef): void;
  /** A remaining length of more than four bytes [MQTT-2.2.3]: the stream cannot be framed past it. */
  overflow(at: PacketRef): void;
}

/**
 * MQTT framing of one direction of a reassembled stream, with the project's own frame reader. A stream entered
 * mid-way, or one that lost bytes the capture missed, is out of step: it stays so (its bytes only counted) until a
 * segment that is exactly a run of whole, plausible frames, which is how MQTT stacks write, puts it back in step.
 */
export class MqttDirection {
  private reader = new FrameReader(MAX_FRAME_BYTES);
  private skipBytes = 0;
  private skipFirstByte = 0;
  inStep: boolean;
  unparsed = 0;

  constructor(
    private readonly listener: FrameListener,
    inStep: boolean,
  ) {
    this.inStep = inStep;
  }

  data(bytes: Buffer, at: PacketRef): void {
    let chunk = bytes;
    if (this.skipBytes > 0) {
      const n = Math.min(this.skipBytes, chunk.length);
      this.skipBytes -= n;
      chunk = chunk.subarray(n);
      if (this.skipBytes === 0) this.listener.largeFrame(this.skipFirstByte, at);
      if (chunk.length === 0) return;
    }
    if (!this.inStep) {
      if (!wholeFrames(chunk)) {
        this.unparsed += chunk.length;
        return;
      }
      this.inStep = true;
      this.reader = new FrameReader(MAX_FRAME_BYTES);
    }
    this.reader.push(Buffer.from(chunk));
    this.readFrames(at);
  }

  /** Bytes the capture missed: inside a frame being skipped they change nothing, else the framing is lost. */
  missed(bytes: number): void {
    if (this.skipBytes >= bytes) {
      this.skipBytes -= bytes;
      return;
    }
    this.skipBytes = 0;
    this.inStep = false;
    this.unparsed += bytes;
  }

  private readFrames(at: PacketRef): void {
    for (;;) {
      const r = this.reader.next();
      if (r.kind === "need-more") return;
      if (r.kind === "frame") {
        this.listener.frame(r.frame, at);
        continue;
      }
      if (r.kind === "overflow") {
        this.listener.overflow(at);
        this.inStep = false;
        this.reader = new FrameReader(MAX_FRAME_BYTES);
        return;
      }
      // too large: skip its bytes without keeping them
      const first = this.reader.peekFirstByte() ?? 0;
      const held = this.reader.buffered();
      this.reader = new FrameReader(MAX_FRAME_BYTES);
      if (held >= r.packetBytes) {
        // cannot happen with a fresh reader per frame; kept for safety
        this.inStep = false;
        return;
      }
      this.skipBytes = r.packetBytes - held;
      this.skipFirstByte = first;
      return;
    }
  }
}

/** True when `bytes` is exactly one or more whole frames of real packet types (1–15). */
export function wholeFrames(bytes: Buffer): boolean {
  let at = 0;
  let frames = 0;
  while (at < bytes.length) {
    const type = (bytes[at] as number) >> 4;
    if (type === 0) return false;
    let length = 0;
    let multiplier = 1;
    let i = at + 1;
    for (let n = 0; ; n++) {
      if (n === 4 || i >= bytes.length) return false;
      const b = bytes[i++] as number;
      length += (b & 0x7f) * multiplier;
      multiplier *= 128;
      if ((b & 0x80) === 0) break;
    }
    at = i + length;
    frames++;
  }
  return at === bytes.length && frames > 0;
}
