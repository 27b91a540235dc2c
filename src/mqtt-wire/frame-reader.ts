/**
 * Our own MQTT framing, ahead of any decoding: byte 1 (type + flags) and the remaining-length varint, then the
 * whole frame. Doing this ourselves decides exactly what counts as malformed: a 5th length byte is the
 * `remaining-length-overflow` violation [MQTT-2.2.3] (at most 4 bytes), and a frame is handed on only once
 * complete, so the decoder never sees a partial packet.
 *
 * Memory: a frame whose declared size exceeds `maxPacketBytes` is refused as soon as its length is read, before
 * any of its body is buffered (a declared 256 MB PUBLISH costs nothing), and received chunks are joined only once
 * a frame is complete, so a large frame trickled in small chunks costs linear, not quadratic, copying.
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

export type ReadResult =
  | { kind: "frame"; frame: Frame }
  | { kind: "overflow" }
  /** The declared packet (fixed header + remaining length) is larger than the reader accepts. */
  | { kind: "too-large"; packetBytes: number; headerBytes: number }
  | { kind: "need-more" };

const MAX_LENGTH_BYTES = 4;

export class FrameReader {
  private chunks: Buffer[] = [];
  private size = 0;

  /** `maxPacketBytes`: the largest whole packet accepted (fixed header included); default no limit. */
  constructor(private readonly maxPacketBytes = Number.POSITIVE_INFINITY) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** Byte 1 of the next frame, as soon as it has arrived. */
  peekFirstByte(): number | undefined {
    return this.chunks[0]?.[0];
  }

  buffered(): number {
    return this.size;
  }

  /** The byte at `index` of what is buffered (only ever the first few: the fixed header). */
  private byteAt(index: number): number | undefined {
    let at = index;
    for (const chunk of this.chunks) {
      if (at < chunk.length) return chunk[at];
      at -= chunk.length;
    }
    return undefined;
  }

  next(): ReadResult {
    if (this.size < 2) return { kind: "need-more" };
    let value = 0;
    let multiplier = 1;
    let index = 1;
    for (;;) {
      if (index > MAX_LENGTH_BYTES) return { kind: "overflow" };
      const byte = this.byteAt(index);
      if (byte === undefined) return { kind: "need-more" };
      value += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      index++;
      if ((byte & 0x80) === 0) break;
    }
    const total = index + value;
    if (total > this.maxPacketBytes) return { kind: "too-large", packetBytes: total, headerBytes: index };
    if (this.size < total) return { kind: "need-more" };
    const buf = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.size);
    const bytes = buf.subarray(0, total);
    const rest = buf.subarray(total);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.size = rest.length;
    const first = buf[0] as number;
    return {
      kind: "frame",
      frame: { type: first >> 4, flags: first & 0x0f, remainingLength: value, bodyOffset: index, bytes },
    };
  }
}
