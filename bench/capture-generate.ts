import { closeSync, openSync, writeSync } from "node:fs";

/**
 * Writes a large synthetic pcap (Ethernet, IPv4) of many MQTT 3.1.1 connections to port 1883, streaming (4 MB
 * buffers): `slots` connections at a time, each: handshake, CONNECT (keepalive 5), CONNACK, `rounds` seconds of a
 * 256-byte QoS 0 PUBLISH each second and a PINGREQ/PINGRESP every 5th, every segment ACKed; then, in turn, a
 * DISCONNECT and FINs, a silence the broker ends with a FIN 8 s later (a kick), or a client RST.
 */
export interface GeneratedCapture {
  bytes: number;
  packets: number;
  connections: number;
  /** MQTT control packets written (CONNECT, CONNACK, PUBLISH, PINGREQ, PINGRESP, DISCONNECT). */
  mqttPackets: number;
  endings: { "client-disconnect": number; kicked: number; "client-reset": number };
}

const FLUSH_BYTES = 4 * 1024 * 1024;

export function generateCapture(
  path: string,
  targetBytes: number,
  slots = 200,
  rounds = 30,
): GeneratedCapture {
  const fd = openSync(path, "w");
  const buf = Buffer.allocUnsafe(FLUSH_BYTES + 4096);
  let at = 0;
  const out: GeneratedCapture = {
    bytes: 0,
    packets: 0,
    connections: 0,
    mqttPackets: 0,
    endings: { "client-disconnect": 0, kicked: 0, "client-reset": 0 },
  };
  const flush = () => {
    writeSync(fd, buf, 0, at);
    out.bytes += at;
    at = 0;
  };
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20);
  header.copy(buf, 0);
  at = 24;

  const payload = Buffer.alloc(256, 0x61);
  // remaining length 2 + 5 + 256 = 263: the varint 0x87 0x02
  const publishFixed = Buffer.concat([
    Buffer.from([0x30, 0x87, 0x02, 0x00, 0x05]),
    Buffer.from("a/b/c"),
    payload,
  ]);
  const connect = (id: string) => {
    const body = Buffer.concat([
      Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x05]),
      Buffer.from([0x00, id.length]),
      Buffer.from(id),
    ]);
    return Buffer.concat([Buffer.from([0x10, body.length]), body]);
  };
  const CONNACK = Buffer.from([0x20, 0x02, 0x00, 0x00]);
  const PINGREQ = Buffer.from([0xc0, 0x00]);
  const PINGRESP = Buffer.from([0xd0, 0x00]);
  const DISCONNECT = Buffer.from([0xe0, 0x00]);

  interface Conn {
    n: number;
    cport: number;
    cseq: number;
    bseq: number;
    start: number;
  }
  const T0 = 1_765_000_000;
  const packet = (timeUs: number, c: Conn, fromClient: boolean, flags: number, data?: Buffer) => {
    const len = 14 + 20 + 20 + (data?.length ?? 0);
    if (at + 16 + len > buf.length) flush();
    buf.writeUInt32LE(Math.floor(timeUs / 1e6), at);
    buf.writeUInt32LE(timeUs % 1e6, at + 4);
    buf.writeUInt32LE(len, at + 8);
    buf.writeUInt32LE(len, at + 12);
    let p = at + 16;
    buf.fill(0x02, p, p + 12);
    buf.writeUInt16BE(0x0800, p + 12);
    p += 14;
    buf[p] = 0x45;
    buf[p + 1] = 0;
    buf.writeUInt16BE(len - 14, p + 2);
    buf.writeUInt32BE(0, p + 4);
    buf[p + 8] = 64;
    buf[p + 9] = 6;
    buf.writeUInt16BE(0, p + 10);
    const client = (10 << 24) | (((c.n >> 8) & 0xff) << 8) | (c.n & 0xff) | (1 << 16);
    const broker = (10 << 24) | 1;
    buf.writeUInt32BE((fromClient ? client : broker) >>> 0, p + 12);
    buf.writeUInt32BE((fromClient ? broker : client) >>> 0, p + 16);
    p += 20;
    buf.writeUInt16BE(fromClient ? c.cport : 1883, p);
    buf.writeUInt16BE(fromClient ? 1883 : c.cport, p + 2);
    buf.writeUInt32BE((fromClient ? c.cseq : c.bseq) >>> 0, p + 4);
    buf.writeUInt32BE((fromClient ? c.bseq : c.cseq) >>> 0, p + 8);
    buf[p + 12] = 5 << 4;
    buf[p + 13] = flags;
    buf.writeUInt16BE(65535, p + 14);
    buf.writeUInt32BE(0, p + 16);
    p += 20;
    if (data) {
      data.copy(buf, p);
      if (fromClient) c.cseq = (c.cseq + data.length) >>> 0;
      else c.bseq = (c.bseq + data.length) >>> 0;
    }
    at += 16 + len;
    out.packets++;
  };
  const ACK = 0x10;
  const PSH = 0x08;
  const send = (t: number, c: Conn, fromClient: boolean, data: Buffer) => {
    packet(t, c, fromClient, ACK | PSH, data);
    packet(t + 40, c, !fromClient, ACK);
    out.mqttPackets++;
  };

  for (let batch = 0; out.bytes + at < targetBytes; batch++) {
    const base = (T0 + batch * (rounds + 12)) * 1e6;
    const conns: Conn[] = [];
    for (let s = 0; s < slots; s++) {
      const n = out.connections++;
      conns.push({
        n,
        cport: 20000 + (n % 40000),
        cseq: (n * 7919) >>> 0,
        bseq: (n * 104729) >>> 0,
        start: base + s * 997,
      });
    }
    for (const c of conns) {
      const t = c.start;
      packet(t, c, true, 0x02);
      c.cseq = (c.cseq + 1) >>> 0;
      packet(t + 30, c, false, 0x12);
      c.bseq = (c.bseq + 1) >>> 0;
      packet(t + 60, c, true, ACK);
      send(t + 100, c, true, connect(`dev-${c.n}`));
      send(t + 300, c, false, CONNACK);
    }
    for (let r = 1; r <= rounds; r++)
      for (const c of conns) {
        const t = c.start + r * 1e6;
        send(t, c, true, publishFixed);
        if (r % 5 === 0) {
          send(t + 500, c, true, PINGREQ);
          send(t + 700, c, false, PINGRESP);
        }
      }
    for (const c of conns) {
      const t = c.start + (rounds + 1) * 1e6;
      const kind = c.n % 3;
      if (kind === 0) {
        send(t, c, true, DISCONNECT);
        packet(t + 100, c, true, ACK | 0x01);
        c.cseq = (c.cseq + 1) >>> 0;
        packet(t + 200, c, false, ACK | 0x01);
        c.bseq = (c.bseq + 1) >>> 0;
        packet(t + 300, c, true, ACK);
        out.endings["client-disconnect"]++;
      } else if (kind === 1) {
        packet(t + 8e6, c, false, ACK | 0x01);
        c.bseq = (c.bseq + 1) >>> 0;
        packet(t + 8e6 + 100, c, true, ACK | 0x01);
        c.cseq = (c.cseq + 1) >>> 0;
        packet(t + 8e6 + 200, c, false, ACK);
        out.endings.kicked++;
      } else {
        packet(t, c, true, ACK | 0x04);
        out.endings["client-reset"]++;
      }
    }
  }
  flush();
  closeSync(fd);
  return out;
}
