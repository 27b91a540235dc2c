import { CaptureFormatError } from "./capture-format-error.js";
import { type CaptureRecord, MAX_RECORD_BYTES, type RecordSink } from "./capture-record.js";

const SHB = 0x0a0d0d0a;
const IDB = 1;
const OBSOLETE_PB = 2;
const SPB = 3;
const EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;
/** No block in a capture of network frames comes near this; a larger length is a corrupt file. */
const MAX_BLOCK_BYTES = MAX_RECORD_BYTES + 4096;

interface Interface {
  linkType: number;
  /** Timestamp units per ms (default µs: 1000 units per ms). */
  unitsPerMs: number;
  offsetMs: number;
}

/**
 * pcapng (what Wireshark and dumpcap write): blocks of type, length, body, length. Each Section Header Block sets
 * the byte order anew and starts a new list of interfaces; each Interface Description Block gives its interface's
 * link type and timestamp resolution (if_tsresol) and offset (if_tsoffset). Packets come in Enhanced, Simple
 * (interface 0, no timestamp: the previous packet's time) and the obsolete Packet blocks; other blocks are skipped.
 */
export class PcapngParser {
  private littleEndian = true;
  private interfaces: Interface[] = [];
  private packet = 0;
  private lastTimeMs = 0;
  private sectionSeen = false;
  private readonly record: CaptureRecord = {
    packet: 0,
    timeMs: 0,
    linkType: 0,
    data: Buffer.alloc(0),
    originalLength: 0,
  };

  constructor(private readonly sink: RecordSink) {}

  parse(buf: Buffer): number {
    let at = 0;
    while (buf.length - at >= 12) {
      const typeLE = buf.readUInt32LE(at);
      if (typeLE === SHB) {
        const magic = buf.readUInt32LE(at + 8);
        if (magic === BYTE_ORDER_MAGIC) this.littleEndian = true;
        else if (magic === 0x4d3c2b1a) this.littleEndian = false;
        else throw new CaptureFormatError("corrupt pcapng section header: no byte-order magic");
        this.sectionSeen = true;
      } else if (!this.sectionSeen) {
        throw new CaptureFormatError("not a pcapng file");
      }
      const length = this.u32(buf, at + 4);
      if (length < 12 || length % 4 !== 0 || length > MAX_BLOCK_BYTES)
        throw new CaptureFormatError(`corrupt pcapng block after packet ${this.packet}: length ${length}`);
      if (buf.length - at < length) break;
      this.block(buf, at, length);
      at += length;
    }
    return at;
  }

  packets(): number {
    return this.packet;
  }

  private block(buf: Buffer, at: number, length: number): void {
    const type = this.u32(buf, at);
    const body = at + 8;
    const end = at + length - 4;
    switch (type) {
      case SHB:
        this.interfaces = [];
        return;
      case IDB:
        this.interfaces.push(this.interfaceOf(buf, body, end));
        return;
      case EPB:
        this.packetBlock(buf, this.u32(buf, body), body + 4, body + 20, end);
        return;
      case OBSOLETE_PB:
        this.packetBlock(buf, this.u16(buf, body), body + 4, body + 20, end);
        return;
      case SPB: {
        this.packet++;
        const iface = this.interfaces[0];
        if (!iface) throw new CaptureFormatError(`pcapng packet ${this.packet} before any interface block`);
        const originalLength = this.u32(buf, body);
        const captured = Math.min(originalLength, end - body - 4);
        this.emit(
          iface.linkType,
          this.lastTimeMs,
          buf.subarray(body + 4, body + 4 + captured),
          originalLength,
        );
        return;
      }
      default:
        return; // name resolution, statistics, custom and decryption-secrets blocks: nothing for us
    }
  }

  /** EPB and the obsolete PB: interface, timestamp (high, low), captured and original lengths, then the data. */
  private packetBlock(buf: Buffer, ifaceId: number, tsAt: number, dataAt: number, end: number): void {
    this.packet++;
    const iface = this.interfaces[ifaceId];
    if (!iface)
      throw new CaptureFormatError(
        `pcapng packet ${this.packet} names interface ${ifaceId}, never described`,
      );
    const high = this.u32(buf, tsAt);
    const low = this.u32(buf, tsAt + 4);
    const captured = this.u32(buf, tsAt + 8);
    const originalLength = this.u32(buf, tsAt + 12);
    if (dataAt + captured > end)
      throw new CaptureFormatError(
        `corrupt pcapng packet ${this.packet}: ${captured} bytes in a smaller block`,
      );
    const timeMs = (high * 4294967296) / iface.unitsPerMs + low / iface.unitsPerMs + iface.offsetMs;
    this.lastTimeMs = timeMs;
    this.emit(iface.linkType, timeMs, buf.subarray(dataAt, dataAt + captured), originalLength);
  }

  private emit(linkType: number, timeMs: number, data: Buffer, originalLength: number): void {
    const r = this.record;
    r.packet = this.packet;
    r.timeMs = timeMs;
    r.linkType = linkType;
    r.data = data;
    r.originalLength = originalLength;
    this.sink(r);
  }

  private interfaceOf(buf: Buffer, body: number, end: number): Interface {
    const iface: Interface = { linkType: this.u16(buf, body), unitsPerMs: 1000, offsetMs: 0 };
    for (let at = body + 8; at + 4 <= end; ) {
      const code = this.u16(buf, at);
      const len = this.u16(buf, at + 2);
      if (code === 0) break;
      if (code === IF_TSRESOL && len >= 1) {
        const v = buf[at + 4] as number;
        const unitsPerSecond = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
        iface.unitsPerMs = unitsPerSecond / 1000;
      } else if (code === IF_TSOFFSET && len >= 8) {
        // a signed 64-bit count of seconds, in the section's byte order
        const seconds = this.littleEndian ? buf.readBigInt64LE(at + 4) : buf.readBigInt64BE(at + 4);
        iface.offsetMs = Number(seconds) * 1000;
      }
      at += 4 + len + ((4 - (len % 4)) % 4);
    }
    return iface;
  }

  private u32(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }

  private u16(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
  }
}
