import { gzipSync } from "node:zlib";
import mqttPacket, { type Packet } from "mqtt-packet";

/**
 * A tiny capture WRITER for the tests: builds IPv4/IPv6 TCP packets, wraps them in any link type the reader
 * knows, and writes pcap (µs or ns, either byte order), pcapng (either byte order, any timestamp resolution) or
 * their gzip. `Conversation` plays one TCP connection (handshake, data with real sequence numbers, FIN, RST) so a
 * test can lose, repeat or reorder segments exactly.
 */
export interface WrittenPacket {
  timeMs: number;
  /** The IP packet (IPv4 or IPv6) the frame carries. */
  ip: Buffer;
  /** Keep only this many bytes of the whole frame (a snaplen). */
  snap?: number;
}

export const LINK = { null: 0, ethernet: 1, raw: 101, loop: 108, sll: 113, sll2: 276 } as const;

export interface TcpSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: { syn?: boolean; ack?: boolean; fin?: boolean; rst?: boolean; psh?: boolean };
  payload?: Buffer;
}

function addrBytes(addr: string): Buffer {
  if (addr.includes(":")) {
    const [head = "", tail = ""] = addr.split("::");
    const h = head ? head.split(":") : [];
    const t = addr.includes("::") ? (tail ? tail.split(":") : []) : [];
    const groups = addr.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
    const b = Buffer.alloc(16);
    groups.forEach((g, i) => {
      b.writeUInt16BE(Number.parseInt(g, 16), i * 2);
    });
    return b;
  }
  return Buffer.from(addr.split(".").map(Number));
}

export function tcpIpPacket(spec: TcpSpec): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0);
  const tcp = Buffer.alloc(20);
  tcp.writeUInt16BE(spec.sport, 0);
  tcp.writeUInt16BE(spec.dport, 2);
  tcp.writeUInt32BE(spec.seq >>> 0, 4);
  tcp.writeUInt32BE(spec.ack >>> 0, 8);
  tcp[12] = 5 << 4;
  const f = spec.flags;
  tcp[13] = (f.fin ? 1 : 0) | (f.syn ? 2 : 0) | (f.rst ? 4 : 0) | (f.psh ? 8 : 0) | (f.ack ? 16 : 0);
  tcp.writeUInt16BE(65535, 14);
  const src = addrBytes(spec.src);
  const dst = addrBytes(spec.dst);
  if (src.length === 4) {
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + 20 + payload.length, 2);
    ip[8] = 64;
    ip[9] = 6;
    src.copy(ip, 12);
    dst.copy(ip, 16);
    return Buffer.concat([ip, tcp, payload]);
  }
  const ip = Buffer.alloc(40);
  ip[0] = 0x60;
  ip.writeUInt16BE(20 + payload.length, 4);
  ip[6] = 6;
  ip[7] = 64;
  src.copy(ip, 8);
  dst.copy(ip, 24);
  return Buffer.concat([ip, tcp, payload]);
}

/** Wraps an IP packet in a frame of `linkType`; Ethernet may carry VLAN tags. */
export function frameOf(
  linkType: number,
  ip: Buffer,
  options: { vlans?: number; littleEndianHost?: boolean } = {},
): Buffer {
  const v6 = (ip[0] as number) >> 4 === 6;
  const etherType = v6 ? 0x86dd : 0x0800;
  switch (linkType) {
    case LINK.ethernet: {
      const tags = options.vlans ?? 0;
      const head = Buffer.alloc(14 + tags * 4);
      head.fill(0x02, 0, 12);
      for (let i = 0; i < tags; i++) {
        head.writeUInt16BE(i === 0 && tags > 1 ? 0x88a8 : 0x8100, 12 + i * 4);
        head.writeUInt16BE(100 + i, 14 + i * 4);
      }
      head.writeUInt16BE(etherType, 12 + tags * 4);
      return Buffer.concat([head, ip]);
    }
    case LINK.sll: {
      const head = Buffer.alloc(16);
      head.writeUInt16BE(0, 0);
      head.writeUInt16BE(772, 2);
      head.writeUInt16BE(6, 4);
      head.writeUInt16BE(etherType, 14);
      return Buffer.concat([head, ip]);
    }
    case LINK.sll2: {
      const head = Buffer.alloc(20);
      head.writeUInt16BE(etherType, 0);
      head.writeUInt32BE(1, 4);
      head.writeUInt16BE(772, 8);
      head[11] = 6;
      return Buffer.concat([head, ip]);
    }
    case LINK.null: {
      const head = Buffer.alloc(4);
      const family = v6 ? 30 : 2; // a BSD/macOS AF_INET6, to show the family value is not relied on
      if (options.littleEndianHost === false) head.writeUInt32BE(family);
      else head.writeUInt32LE(family);
      return Buffer.concat([head, ip]);
    }
    case LINK.loop: {
      const head = Buffer.alloc(4);
      head.writeUInt32BE(v6 ? 24 : 2);
      return Buffer.concat([head, ip]);
    }
    default:
      return ip;
  }
}

export interface PcapOptions {
  linkType?: number;
  nanoseconds?: boolean;
  bigEndian?: boolean;
  vlans?: number;
}

export function pcapFile(packets: readonly WrittenPacket[], o: PcapOptions = {}): Buffer {
  const le = !o.bigEndian;
  const linkType = o.linkType ?? LINK.ethernet;
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    if (le) b.writeUInt32LE(n >>> 0);
    else b.writeUInt32BE(n >>> 0);
    return b;
  };
  const u16 = (n: number) => {
    const b = Buffer.alloc(2);
    if (le) b.writeUInt16LE(n);
    else b.writeUInt16BE(n);
    return b;
  };
  const parts: Buffer[] = [
    u32(o.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4),
    u16(2),
    u16(4),
    u32(0),
    u32(0),
    u32(262144),
    u32(linkType),
  ];
  for (const p of packets) {
    const frame = frameOf(linkType, p.ip, { vlans: o.vlans });
    const kept = frame.subarray(0, p.snap ?? frame.length);
    const seconds = Math.floor(p.timeMs / 1000);
    const fraction = Math.round((p.timeMs - seconds * 1000) * (o.nanoseconds ? 1e6 : 1e3));
    parts.push(u32(seconds), u32(fraction), u32(kept.length), u32(frame.length), kept);
  }
  return Buffer.concat(parts);
}

export interface PcapngOptions {
  bigEndian?: boolean;
  /** Interfaces: link type and if_tsresol byte (default 6 = µs; 9 = ns; 0x80|n = 2^-n). */
  interfaces?: { linkType: number; tsresol?: number }[];
  /** Which interface each packet was captured on (default 0). */
  interfaceOf?: (index: number) => number;
  /** Write packets as Simple Packet Blocks (no timestamp). */
  simple?: boolean;
}

export function pcapngFile(packets: readonly WrittenPacket[], o: PcapngOptions = {}): Buffer {
  const le = !o.bigEndian;
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    if (le) b.writeUInt32LE(n >>> 0);
    else b.writeUInt32BE(n >>> 0);
    return b;
  };
  const u16 = (n: number) => {
    const b = Buffer.alloc(2);
    if (le) b.writeUInt16LE(n);
    else b.writeUInt16BE(n);
    return b;
  };
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  const block = (type: number, body: Buffer) => {
    const len = 12 + body.length;
    return Buffer.concat([u32(type), u32(len), body, u32(len)]);
  };
  const interfaces = o.interfaces ?? [{ linkType: LINK.ethernet }];
  const shb = block(0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d), u16(1), u16(0), Buffer.alloc(8, 0xff)]));
  const parts = [shb];
  // a comment block of an unknown type first: the reader must skip what it does not know
  parts.push(block(0x00000bad, Buffer.alloc(8)));
  for (const iface of interfaces) {
    const options =
      iface.tsresol === undefined
        ? Buffer.alloc(0)
        : Buffer.concat([u16(9), u16(1), pad(Buffer.from([iface.tsresol])), u16(0), u16(0)]);
    parts.push(block(1, Buffer.concat([u16(iface.linkType), u16(0), u32(262144), options])));
  }
  packets.forEach((p, index) => {
    const ifaceId = o.interfaceOf?.(index) ?? 0;
    const iface = interfaces[ifaceId] ?? interfaces[0];
    const frame = frameOf(iface?.linkType ?? LINK.ethernet, p.ip);
    const kept = frame.subarray(0, p.snap ?? frame.length);
    if (o.simple) {
      parts.push(block(3, Buffer.concat([u32(frame.length), pad(kept)])));
      return;
    }
    const r = iface?.tsresol ?? 6;
    const unitsPerMs = (r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r) / 1000;
    const units = (BigInt(Math.round(p.timeMs * 1000)) * BigInt(Math.round(unitsPerMs * 1000))) / 1000000n;
    const high = Number(units >> 32n);
    const low = Number(units & 0xffffffffn);
    parts.push(
      block(
        6,
        Buffer.concat([u32(ifaceId), u32(high), u32(low), u32(kept.length), u32(frame.length), pad(kept)]),
      ),
    );
  });
  return Buffer.concat(parts);
}

export const gzip = (b: Buffer): Buffer => gzipSync(b);

type Side = "client" | "broker";

export interface SendOptions {
  capture?: "seen" | "missed" | "lost" | "snap";
  snap?: number;
  ackAfterMs?: number | null;
}

/**
 * One TCP connection between a client and a broker, packet by packet, with real sequence numbers. Every method
 * appends what the capture sees; `lose` options let a test drop a segment from the capture only (the receiver
 * still ACKs it: bytes the capture missed) or from the network (not ACKed, sent again later: a retransmission).
 */
export class Conversation {
  readonly packets: WrittenPacket[] = [];
  private seq: Record<Side, number>;
  /** The next sequence number each side expects from the other (what its ACKs carry). */
  private received: Record<Side, number>;
  private readonly ends: Record<Side, { addr: string; port: number }>;
  /** How long each side takes to answer what the other sent, as the capture sees it (default 0.04 ms). */
  private readonly answerMs: Record<Side, number>;

  constructor(
    client: { addr: string; port: number },
    broker: { addr: string; port: number },
    o: { isn?: { client?: number; broker?: number }; answerMs?: { client?: number; broker?: number } } = {},
  ) {
    this.ends = { client, broker };
    this.seq = { client: o.isn?.client ?? 1000, broker: o.isn?.broker ?? 50000 };
    this.received = { client: this.seq.broker, broker: this.seq.client };
    this.answerMs = { client: o.answerMs?.client ?? 0.04, broker: o.answerMs?.broker ?? 0.04 };
  }

  private spec(from: Side, flags: TcpSpec["flags"], payload?: Buffer, seq?: number): TcpSpec {
    const to: Side = from === "client" ? "broker" : "client";
    return {
      src: this.ends[from].addr,
      dst: this.ends[to].addr,
      sport: this.ends[from].port,
      dport: this.ends[to].port,
      seq: seq ?? this.seq[from],
      ack: this.received[from],
      flags,
      payload,
    };
  }

  private push(timeMs: number, spec: TcpSpec, snap?: number): void {
    this.packets.push({ timeMs, ip: tcpIpPacket(spec), snap });
  }

  /** SYN, SYN-ACK, ACK, each side answering after its answerMs. */
  handshake(timeMs: number): this {
    const synAck = timeMs + this.answerMs.broker;
    this.push(timeMs, this.spec("client", { syn: true }));
    this.seq.client = (this.seq.client + 1) >>> 0;
    this.received.broker = this.seq.client;
    this.push(synAck, { ...this.spec("broker", { syn: true, ack: true }) });
    this.seq.broker = (this.seq.broker + 1) >>> 0;
    this.received.client = this.seq.broker;
    this.push(synAck + this.answerMs.client, this.spec("client", { ack: true }));
    return this;
  }

  /**
   * `from` sends `bytes` at `timeMs` (the other side ACKs `ackAfterMs` later unless the network lost it).
   * capture: "seen" (default), "missed" (the capture lost it; the receiver ACKs it), "lost" (the network lost
   * it: it shows in the capture once — the capture is before the loss — and is not ACKed), "snap" (captured cut to
   * `snap` bytes of frame).
   */
  send(from: Side, timeMs: number, bytes: Buffer, o: SendOptions = {}): { seq: number } {
    const spec = this.spec(from, { ack: true, psh: true }, bytes);
    const seq = this.seq[from];
    const capture = o.capture ?? "seen";
    if (capture !== "missed") this.push(timeMs, spec, capture === "snap" ? o.snap : undefined);
    this.seq[from] = (this.seq[from] + bytes.length) >>> 0;
    const to: Side = from === "client" ? "broker" : "client";
    if (capture !== "lost") this.received[to] = this.seq[from];
    if (capture !== "lost" && o.ackAfterMs !== null)
      this.push(timeMs + (o.ackAfterMs ?? this.answerMs[to]), this.spec(to, { ack: true }));
    return { seq };
  }

  /** Sends again bytes sent before at `seq` (a retransmission); the other side ACKs it. */
  resend(from: Side, timeMs: number, seq: number, bytes: Buffer): this {
    this.push(timeMs, this.spec(from, { ack: true, psh: true }, bytes, seq));
    const to: Side = from === "client" ? "broker" : "client";
    this.received[to] = Math.max(this.received[to], (seq + bytes.length) >>> 0);
    this.push(timeMs + this.answerMs[to], this.spec(to, { ack: true }));
    return this;
  }

  /** Sends bytes at a sequence number ahead (out of order: the bytes before it are sent later with `sendAt`). */
  sendAt(from: Side, timeMs: number, seq: number, bytes: Buffer): this {
    this.push(timeMs, this.spec(from, { ack: true, psh: true }, bytes, seq));
    const to: Side = from === "client" ? "broker" : "client";
    this.received[to] = Math.max(this.received[to], (seq + bytes.length) >>> 0);
    return this;
  }

  /** Advances `from`'s sequence number by `n` without sending (the bytes go out later with sendAt). */
  reserve(from: Side, n: number): number {
    const seq = this.seq[from];
    this.seq[from] = (this.seq[from] + n) >>> 0;
    return seq;
  }

  mqtt(from: Side, timeMs: number, packet: Packet, o: SendOptions = {}, version = 4) {
    return this.send(from, timeMs, mqttPacket.generate(packet, { protocolVersion: version }), o);
  }

  fin(from: Side, timeMs: number): this {
    this.push(timeMs, this.spec(from, { fin: true, ack: true }));
    this.seq[from] = (this.seq[from] + 1) >>> 0;
    this.received[from === "client" ? "broker" : "client"] = this.seq[from];
    return this;
  }

  rst(from: Side, timeMs: number): this {
    this.push(timeMs, this.spec(from, { rst: true, ack: true }));
    return this;
  }
}

/** A Conversation's packets, several conversations interleaved by time. */
export function merged(...conversations: Conversation[]): WrittenPacket[] {
  return conversations.flatMap((c) => c.packets).sort((a, b) => a.timeMs - b.timeMs);
}
