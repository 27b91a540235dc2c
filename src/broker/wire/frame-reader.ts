/**
 * Our own MQTT framing, ahead of any decoding: byte 1 (type + flags) and the remaining-length varint, then the
 * whole frame. Doing this ourselves decides exactly what counts as malformed: a 5th length byte is the
 * `remaining-length-overflow` violation [MQTT-2.2.3] (at most 4 bytes), and a frame is handed on only once
 * complete, so the decoder never sees a partial packet.
 */
export interface Frame {
  /** Packet type, the high nibble of byte 1 (0..15). */
  type: number;
  /** The low nibble of byte 1. */
  flags: number;
  remainingLength: number;
  /** Offset of the variable header within `bytes`. */
  bodyOffset: number;
  /** The whole frame: fixed header + remaining bytes. */
  bytes: Buffer;
}

export type ReadResult = { kind: "frame"; frame: Frame } | { kind: "overflow" } | { kind: "need-more" };

const MAX_LENGTH_BYTES = 4;

export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /** Byte 1 of the next frame, as soon as it has arrived. */
  peekFirstByte(): number | undefined {
    return this.buffer.length > 0 ? this.buffer[0] : undefined;
  }

  buffered(): number {
    return this.buffer.length;
  }

  next(): ReadResult {
    const buf = this.buffer;
    if (buf.length < 2) return { kind: "need-more" };
    let value = 0;
    let multiplier = 1;
    let index = 1;
    for (;;) {
      if (index > MAX_LENGTH_BYTES) return { kind: "overflow" };
      const byte = buf[index];
      if (byte === undefined) return { kind: "need-more" };
      value += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      index++;
      if ((byte & 0x80) === 0) break;
    }
    const total = index + value;
    if (buf.length < total) return { kind: "need-more" };
    const bytes = buf.subarray(0, total);
    this.buffer = buf.subarray(total);
    const first = buf[0] as number;
    return {
      kind: "frame",
      frame: { type: first >> 4, flags: first & 0x0f, remainingLength: value, bodyOffset: index, bytes },
    };
  }
}
