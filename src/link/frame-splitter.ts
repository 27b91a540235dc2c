import { FrameReader } from "../mqtt-wire/frame-reader.js";

/** A piece of one way's byte stream: a whole MQTT packet (`type` 0..15), or raw bytes once framing gave up. */
export interface Piece {
  bytes: Buffer;
  type: number | null;
}

/**
 * Cuts one way's bytes into whole MQTT packets (the broker's own FrameReader: fixed header + remaining length),
 * so MQTT-aware faults can drop or delay one packet. A stream that is not MQTT (a 5-byte remaining length, the
 * malformed fleet's `remaining-length-overflow`) is passed on byte for byte from there on: the relay never
 * changes what a misbehaving client sends.
 */
export class FrameSplitter {
  private readonly reader = new FrameReader();
  /** Bytes pushed and not yet handed out as a frame (the reader keeps its own copy; this one is for give-up). */
  private unframed: Buffer[] = [];
  private raw = false;

  push(chunk: Buffer): Piece[] {
    if (this.raw) return [{ bytes: chunk, type: null }];
    this.reader.push(chunk);
    this.unframed.push(chunk);
    const out: Piece[] = [];
    for (;;) {
      const next = this.reader.next();
      if (next.kind === "frame") {
        out.push({ bytes: next.frame.bytes, type: next.frame.type });
        this.consume(next.frame.bytes.length);
        continue;
      }
      if (next.kind === "need-more") return out;
      // overflow (or a size limit, which this reader has none of): not MQTT from here on
      this.raw = true;
      const rest = Buffer.concat(this.unframed);
      this.unframed = [];
      if (rest.length > 0) out.push({ bytes: rest, type: null });
      return out;
    }
  }

  private consume(n: number): void {
    let left = n;
    while (left > 0) {
      const head = this.unframed[0];
      if (!head) return;
      if (head.length <= left) {
        left -= head.length;
        this.unframed.shift();
      } else {
        this.unframed[0] = head.subarray(left);
        left = 0;
      }
    }
  }
}
