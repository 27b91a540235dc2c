import type { Packet } from "mqtt-packet";
import { decodeFrame, parseFrame } from "../broker/wire/decode.js";
import type { Frame } from "../mqtt-wire/frame-reader.js";
import { MqttDirection } from "./mqtt-direction.js";
import { packetName } from "./packet-names.js";
import { type PacketRef, TcpDirection } from "./tcp-direction.js";
import type { TcpSegment } from "./tcp-segment.js";
import {
  type ConnectionTimeline,
  type Endpoint,
  MAX_EVENTS_KEPT,
  MAX_PING_GAPS_KEPT,
  type RoleEvidence,
  type Side,
  type Transport,
} from "./timeline.js";

const CONNECT = 1;
const CONNACK = 2;
const PINGREQ = 12;
const PINGRESP = 13;
const DISCONNECT = 14;

/** Called when a client CONNECTs, so the table can mark a takeover of the same client id. */
export type ConnectHook = (connection: CaptureConnection, clientId: string) => void;

/**
 * One TCP connection being read: two reassembled directions, MQTT framing on each (or encrypted records for TLS),
 * and the bounded timeline the verdicts are computed from.
 */
export class CaptureConnection {
  readonly timeline: ConnectionTimeline;
  private readonly tcp: Record<Side, TcpDirection>;
  private readonly mqtt: Record<Side, MqttDirection>;
  private readonly finSeen: Record<Side, boolean> = { client: false, broker: false };
  /** The oldest unanswered data of each side: [its end offset, when it was sent], for the answer delays. */
  private awaiting: Record<Side, { end: number; timeMs: number; packet: number } | undefined> = {
    client: undefined,
    broker: undefined,
  };
  private synAt: number | undefined;
  private clientDataSeen = false;
  /** Seen from its SYN on a port not known to carry MQTT, and no byte yet to tell (see ConnectionTable). */
  undecided = false;

  constructor(
    id: number,
    client: Endpoint,
    broker: Endpoint,
    roles: RoleEvidence,
    transport: Transport,
    first: PacketRef,
    private readonly onConnect: ConnectHook,
  ) {
    this.timeline = {
      id,
      client,
      broker,
      roles,
      transport,
      first,
      last: first,
      synSeen: false,
      counts: { client: {}, broker: {} },
      pingGapsMs: [],
      unansweredPings: 0,
      closes: [],
      losses: [],
      missed: [],
      unparsedBytes: { client: 0, broker: 0 },
    };
    this.tcp = { client: this.direction("client"), broker: this.direction("broker") };
    this.mqtt = { client: this.framing("client"), broker: this.framing("broker") };
  }

  /** True when `segment` was sent by the client end. */
  fromClient(segment: TcpSegment): boolean {
    return segment.srcAddr === this.timeline.client.addr && segment.srcPort === this.timeline.client.port;
  }

  segment(s: TcpSegment): void {
    const side: Side = this.fromClient(s) ? "client" : "broker";
    const other: Side = side === "client" ? "broker" : "client";
    const at: PacketRef = { packet: s.packet, timeMs: s.timeMs };
    const t = this.timeline;
    t.last = at;
    if (s.syn) {
      this.tcp[side].syn(s.seq);
      t.synSeen = true;
      if (side === "client") this.synAt = s.timeMs;
      else if (this.synAt !== undefined) this.answered("broker", s.timeMs - this.synAt);
      if (side === "broker") this.awaiting.broker = { end: 0, timeMs: s.timeMs, packet: s.packet };
      if (!this.mqtt[side].inStep && this.tcp[side].offset() === 0) this.mqtt[side].inStep = true;
    }
    if (s.ackFlag) {
      this.tcp[other].acknowledged(s.ack, at);
      this.noteAnswer(side, other, s);
    }
    if (!s.syn) this.tcp[side].segment(s.seq, s.payload, s.payloadLength, s.fin, at);
    if (s.payloadLength > 0)
      this.awaiting[side] ??= { end: this.tcp[side].offset(), timeMs: s.timeMs, packet: s.packet };
    if (s.fin && !this.finSeen[side]) {
      this.finSeen[side] = true;
      t.closes.push({ by: side, how: "fin", at });
    }
    if (s.rst && !t.closes.some((c) => c.by === side && c.how === "rst"))
      t.closes.push({ by: side, how: "rst", at });
    if (s.rst || (this.finSeen.client && this.finSeen.broker)) this.end(at);
  }

  /** Ends the connection (both FINs, a RST, or the end of the capture): open holes were never filled. */
  end(at: PacketRef): void {
    if (this.timeline.ended) return;
    const unacked = this.awaiting.client;
    if (unacked) this.timeline.clientUnacked = { packet: unacked.packet, timeMs: unacked.timeMs };
    this.tcp.client.finish(at);
    this.tcp.broker.finish(at);
    if (this.finSeen.client && this.finSeen.broker) this.timeline.ended = at;
    else if (this.timeline.closes.some((c) => c.how === "rst")) this.timeline.ended = at;
  }

  isEnded(): boolean {
    return this.timeline.ended !== undefined;
  }

  private noteAnswer(side: Side, other: Side, s: TcpSegment): void {
    const waiting = this.awaiting[other];
    if (!waiting) return;
    if (this.tcp[other].offsetOf(s.ack) < waiting.end) return;
    this.answered(side, s.timeMs - waiting.timeMs);
    this.awaiting[other] = undefined;
  }

  private answered(side: Side, delayMs: number): void {
    if (delayMs < 0) return;
    const t = this.timeline;
    if (side === "broker") t.brokerAnswerMs = Math.min(t.brokerAnswerMs ?? delayMs, delayMs);
    else t.clientAnswerMs = Math.min(t.clientAnswerMs ?? delayMs, delayMs);
  }

  private direction(side: Side): TcpDirection {
    const t = this.timeline;
    return new TcpDirection({
      data: (bytes, at) => {
        if (side === "client" && !this.clientDataSeen) {
          this.clientDataSeen = true;
          if (isTlsHandshake(bytes)) t.transport = "tls";
        }
        if (t.transport === "tls") this.record(side, "tls-record", at);
        else this.mqtt[side].data(bytes, at);
        t.unparsedBytes[side] = this.mqtt[side].unparsed;
      },
      missed: (bytes, at, reason) => {
        keep(t.missed, { side, bytes, at, reason });
        if (t.transport === "mqtt") this.mqtt[side].missed(bytes);
      },
      retransmitted: (bytes, at) => keep(t.losses, { side, kind: "retransmitted", bytes, at }),
      filledLate: (bytes, at, since) => keep(t.losses, { side, kind: "filled-late", bytes, at, since }),
    });
  }

  private framing(side: Side): MqttDirection {
    return new MqttDirection(
      {
        frame: (frame, at) => this.frame(side, frame, at),
        largeFrame: (first, at) => this.record(side, packetName(first >> 4), at),
        overflow: (at) => {
          if (side === "client") this.timeline.violation ??= { at, kind: "remaining-length-overflow" };
        },
      },
      false,
    );
  }

  private frame(side: Side, frame: Frame, at: PacketRef): void {
    const t = this.timeline;
    this.record(side, packetName(frame.type), at);
    if (side === "client") this.clientFrame(frame, at);
    else if (frame.type === CONNACK) this.connack(frame, at);
    else if (frame.type === PINGRESP) {
      t.lastPingresp = at;
      this.pingAnswered();
    } else if (frame.type === DISCONNECT) this.disconnect("broker", frame, at);
    if (frame.type === PINGREQ && side === "client") this.pingreq(at);
  }

  private clientFrame(frame: Frame, at: PacketRef): void {
    const t = this.timeline;
    if (frame.type === CONNECT && !t.connect) {
      const decoded = parseFrame(frame, 4);
      if (decoded.ok && decoded.packet.cmd === "connect") {
        const p = decoded.packet;
        t.connect = {
          at,
          clientId: p.clientId,
          protocolVersion: p.protocolVersion ?? 4,
          keepaliveS: p.keepalive ?? 0,
          cleanStart: p.clean !== false,
        };
        this.onConnect(this, p.clientId);
      } else t.violation ??= { at, kind: "undecodable" };
      return;
    }
    if (frame.type === DISCONNECT) this.disconnect("client", frame, at);
    if (!t.connect || t.violation) return;
    const decoded = decodeFrame(frame, t.connect.protocolVersion);
    if (!decoded.ok) t.violation = { at, kind: decoded.violation.kind };
  }

  private connack(frame: Frame, at: PacketRef): void {
    const code = frame.bytes[frame.bodyOffset + 1] ?? 0;
    const info: ConnectionTimeline["connack"] = { at, code };
    if ((this.timeline.connect?.protocolVersion ?? 4) === 5) {
      const decoded = parseFrame(frame, 5);
      const sk = decoded.ok ? serverKeepAlive(decoded.packet) : undefined;
      if (sk !== undefined) info.serverKeepAliveS = sk;
    }
    this.timeline.connack ??= info;
  }

  private disconnect(by: Side, frame: Frame, at: PacketRef): void {
    if (this.timeline.closes.some((c) => c.by === by && c.how === "disconnect")) return;
    // NanoMQ writes a v5-style DISCONNECT with a reason code even on 3.1.1: read the byte, not the version
    const reasonCode = frame.remainingLength > 0 ? (frame.bytes[frame.bodyOffset] ?? 0) : 0;
    this.timeline.closes.push({ by, how: "disconnect", at, reasonCode });
  }

  private pingreq(at: PacketRef): void {
    const t = this.timeline;
    if (t.lastPingreq) {
      t.pingGapsMs.push(at.timeMs - t.lastPingreq.timeMs);
      if (t.pingGapsMs.length > MAX_PING_GAPS_KEPT) t.pingGapsMs.shift();
    }
    this.closePings();
    t.lastPingreq = at;
    this.outstanding = at;
  }

  private outstanding: PacketRef | undefined;

  private pingAnswered(): void {
    this.outstanding = undefined;
  }

  /** A PINGREQ still unanswered when the next one leaves (one unanswered at the end: lastPingreq > lastPingresp). */
  private closePings(): void {
    if (!this.outstanding) return;
    const t = this.timeline;
    t.unansweredPing ??= this.outstanding;
    t.unansweredPings++;
    this.outstanding = undefined;
  }

  /** Counts a packet and moves the client's gap bookkeeping on. */
  private record(side: Side, name: string, at: PacketRef): void {
    const t = this.timeline;
    const counts = t.counts[side];
    counts[name] = (counts[name] ?? 0) + 1;
    if (side === "broker") {
      t.lastBroker = at;
      return;
    }
    const previous = t.lastClient;
    if (previous) {
      const longest = t.longestClientGap;
      if (!longest || at.timeMs - previous.timeMs > longest.to.timeMs - longest.from.timeMs)
        t.longestClientGap = { from: previous, to: at };
    }
    t.lastClient = at;
    t.lastClientKind = name;
  }
}

function keep<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_EVENTS_KEPT) list.shift();
}

function serverKeepAlive(packet: Packet): number | undefined {
  if (packet.cmd !== "connack") return undefined;
  return packet.properties?.serverKeepAlive;
}

/** A TLS record of type handshake (22) with a 3.x version: a ClientHello. */
export function isTlsHandshake(bytes: Buffer): boolean {
  return bytes[0] === 0x16 && bytes[1] === 0x03 && (bytes[2] ?? 9) <= 4;
}
