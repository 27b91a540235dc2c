import { CaptureFormatError } from "./capture-format-error.js";
import { type CaptureRecord, MAX_RECORD_BYTES, type RecordSink } from "./capture-record.js";

const HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;

/** The classic pcap magics, as read big-endian: µs or ns timestamps, and the byte order they reveal. */
export function pcapMagic(head: Buffer): { littleEndian: boolean; nanoseconds: boolean } | undefined {
  const be = head.readUInt32BE(0);
  if (be === 0xa1b2c3d4) return { littleEndian: false, nanoseconds: false };
  if (be === 0xa1b23c4d) return { littleEndian: false, nanoseconds: true };
  if (be === 0xd4c3b2a1) return { littleEndian: true, nanoseconds: false };
  if (be === 0x4d3cb2a1) return { littleEndian: true, nanoseconds: true };
  return undefined;
}

/**
 * Classic pcap (libpcap's format): a 24-byte header, then records of a 16-byte header and the captured bytes.
 * `parse` consumes whole records from the front of `buf` and returns how many bytes it used.
 */
export class PcapParser {
  private littleEndian = false;
  private fractionMs = 1e-3;
  private linkType = -1;
  private packet = 0;

  constructor(private readonly sink: RecordSink) {}

  parse(buf: Buffer): number {
    let at = 0;
    if (this.linkType < 0) {
      if (buf.length < HEADER_BYTES) return 0;
      const magic = pcapMagic(buf);
      if (!magic) throw new CaptureFormatError("not a pcap file");
      this.littleEndian = magic.littleEndian;
      this.fractionMs = magic.nanoseconds ? 1e-6 : 1e-3;
      this.linkType = this.u32(buf, 20) & 0xffff; // the upper bits carry the FCS length, not the type
      at = HEADER_BYTES;
    }
    const record: CaptureRecord = {
      packet: 0,
      timeMs: 0,
      linkType: this.linkType,
      data: buf,
      originalLength: 0,
    };
    while (buf.length - at >= RECORD_HEADER_BYTES) {
      const captured = this.u32(buf, at + 8);
      if (captured > MAX_RECORD_BYTES)
        throw new CaptureFormatError(
          `corrupt pcap record after packet ${this.packet}: ${captured} bytes captured`,
        );
      if (buf.length - at < RECORD_HEADER_BYTES + captured) break;
      this.packet++;
      record.packet = this.packet;
      record.timeMs = this.u32(buf, at) * 1000 + this.u32(buf, at + 4) * this.fractionMs;
      record.originalLength = this.u32(buf, at + 12);
      record.data = buf.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + captured);
      this.sink(record);
      at += RECORD_HEADER_BYTES + captured;
    }
    return at;
  }

  /** Packets read so far. */
  packets(): number {
    return this.packet;
  }

  private u32(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }
}
