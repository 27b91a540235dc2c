import type { CaptureRecord } from "./capture-record.js";
import { ipOffset } from "./link-layer.js";
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from "./tcp-segment.js";

const TCP = 6;
/** IPv6 extension headers walked to reach TCP: hop-by-hop, routing, destination options. Fragments are skipped. */
const IPV6_EXTENSIONS = new Set([0, 43, 60]);
const IPV6_FRAGMENT = 44;

/**
 * The TCP segment a captured frame carries, or undefined (not IP, not TCP, a later IP fragment, or cut before the
 * TCP header). `payloadLength` comes from the IP header, so a frame the snaplen cut still tells how many payload
 * bytes the capture missed.
 */
export function tcpSegmentOf(record: CaptureRecord): TcpSegment | undefined {
  const frame = record.data;
  const ip = ipOffset(record.linkType, frame);
  if (ip < 0) return undefined;
  const version = (frame[ip] as number) >> 4;
  let tcp: number;
  let ipEnd: number;
  let srcAddr: string;
  let dstAddr: string;
  if (version === 4) {
    if (frame.length < ip + 20) return undefined;
    const headerBytes = ((frame[ip] as number) & 0x0f) * 4;
    if (frame[ip + 9] !== TCP) return undefined;
    if ((frame.readUInt16BE(ip + 6) & 0x1fff) !== 0) return undefined; // not the first fragment
    const total = frame.readUInt16BE(ip + 2);
    ipEnd = total === 0 ? frame.length : ip + total; // 0: a segmentation-offload frame larger than 64 KiB
    tcp = ip + headerBytes;
    srcAddr = ipv4(frame, ip + 12);
    dstAddr = ipv4(frame, ip + 16);
  } else {
    if (frame.length < ip + 40) return undefined;
    ipEnd = ip + 40 + frame.readUInt16BE(ip + 4);
    let next = frame[ip + 6] as number;
    tcp = ip + 40;
    while (IPV6_EXTENSIONS.has(next)) {
      if (frame.length < tcp + 2) return undefined;
      next = frame[tcp] as number;
      tcp += ((frame[tcp + 1] as number) + 1) * 8;
    }
    if (next === IPV6_FRAGMENT || next !== TCP) return undefined;
    srcAddr = ipv6(frame, ip + 8);
    dstAddr = ipv6(frame, ip + 24);
  }
  if (frame.length < tcp + 20) return undefined;
  const flags = frame[tcp + 13] as number;
  const payloadAt = tcp + ((frame[tcp + 12] as number) >> 4) * 4;
  // Ethernet pads short frames: the IP length, not the frame, says where the payload ends
  const payloadLength = Math.max(0, ipEnd - payloadAt);
  const capturedEnd = Math.min(frame.length, ipEnd);
  return {
    packet: record.packet,
    timeMs: record.timeMs,
    srcAddr,
    dstAddr,
    srcPort: frame.readUInt16BE(tcp),
    dstPort: frame.readUInt16BE(tcp + 2),
    seq: frame.readUInt32BE(tcp + 4),
    ack: frame.readUInt32BE(tcp + 8),
    syn: (flags & TCP_SYN) !== 0,
    ackFlag: (flags & TCP_ACK) !== 0,
    fin: (flags & TCP_FIN) !== 0,
    rst: (flags & TCP_RST) !== 0,
    payload: capturedEnd > payloadAt ? frame.subarray(payloadAt, capturedEnd) : frame.subarray(0, 0),
    payloadLength,
  };
}

function ipv4(b: Buffer, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups as "::". */
export function ipv6(b: Buffer, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(at + i * 2));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}
