import type { Packet } from "mqtt-packet";
import type { Clock } from "../core/clock.js";
import { RawSession, type SessionClose } from "../mqtt-wire/raw-session.js";
import type { ClientRecord, FleetTarget } from "./types.js";

/**
 * A misbehaving fleet client: the one raw MQTT session (src/mqtt-wire/raw-session.ts) that sends exactly the
 * packets (or bytes) it is told to, plus the fleet's bookkeeping: every packet in and out and who closed the
 * connection and how, in its ClientRecord on the clock.
 * Close classification, from the client's side:
 *   - a DISCONNECT from the broker before the close → closedBy broker, DISCONNECT + its reason code;
 *   - ECONNRESET → closedBy broker, RST;   - the broker's FIN → closedBy broker, FIN;
 *   - reset()/end()/disconnect() → closedBy client with RST/FIN/DISCONNECT.
 */
const TAIL_BYTES = 8;

export class RawClient {
  private session: RawSession | undefined;
  private brokerDisconnect: number | undefined;
  private closing = false;
  /** reset() or destroy() was called: the socket is gone even before its close event. */
  private gone = false;
  private listeners: ((packet: Packet) => void)[] = [];
  /** The last bytes received (a 3.1.1 DISCONNECT's reason code is read from them). */
  private tail: Buffer = Buffer.alloc(0);
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;

  constructor(
    private readonly clock: Clock,
    private readonly target: FleetTarget,
    readonly record: ClientRecord,
    private readonly protocolVersion: 4 | 5 = 4,
  ) {
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  get isOpen(): boolean {
    return this.session !== undefined && !this.gone && !this.session.isClosed;
  }

  /** Opens the TCP connection; rejects when the target refuses it. */
  async open(): Promise<void> {
    const target = { protocol: "mqtt" as const, host: this.target.host, port: this.target.port, path: "" };
    // No bound of its own: a fleet client waits for the TCP connect as long as the OS does.
    const transport = { clock: this.clock, timeoutMs: Number.POSITIVE_INFINITY };
    let session: RawSession;
    try {
      session = await RawSession.open(target, transport, this.protocolVersion);
    } catch (err) {
      this.resolveClosed();
      throw err;
    }
    this.session = session;
    this.record.localPort = session.wire.localPort ?? null;
    this.record.events.push({ at: this.clock.now(), dir: "out", packet: "tcp-connect" });
    session.onBytes((data) => {
      this.record.bytesReceived += data.length;
      this.tail = Buffer.concat([this.tail, data]).subarray(-TAIL_BYTES);
    });
    session.onPacket((packet) => this.handlePacket(packet));
    session.onSend((label) => {
      const at = this.clock.now();
      this.record.lastSentAt = at;
      this.record.events.push({ at, dir: "out", packet: label });
    });
    session.onClose((close) => this.onClose(close));
  }

  /** (5.0) the Server Keep Alive of the accepted CONNACK, if it had one. */
  serverKeepAliveS: number | undefined;

  /** Sends CONNECT and waits for CONNACK; true when the broker accepted. */
  async connect(keepaliveS: number, timeoutMs: number, clean = true): Promise<boolean> {
    if (!this.session || !this.isOpen) return false;
    const params = {
      protocolVersion: this.protocolVersion,
      clientId: this.record.clientId,
      clean,
      keepalive: keepaliveS,
    };
    const outcome = await this.session.connect(params, timeoutMs);
    if (outcome.kind !== "connack") return false;
    const code = this.protocolVersion === 5 ? outcome.connack.reasonCode : outcome.connack.returnCode;
    if (code !== 0 && code !== undefined) return false;
    this.serverKeepAliveS = outcome.connack.properties?.serverKeepAlive;
    this.record.connectedAt = this.clock.now();
    return true;
  }

  send(packet: Packet): void {
    if (this.isOpen) this.session?.send(packet);
  }

  /** Raw bytes (a malformed variant); `label` names them in the record's events. */
  write(bytes: Buffer, label: string): void {
    if (this.isOpen) this.session?.sendBytes(bytes, label);
  }

  /** Resolves with the next packet of this type, or null on close or after `timeoutMs` clock ms. */
  async waitFor(cmd: Packet["cmd"], timeoutMs: number): Promise<Packet | null> {
    if (!this.session || !this.isOpen) return null;
    return (await this.session.waitFor(cmd, timeoutMs)) ?? null;
  }

  /** Resolves true when the connection closes within `timeoutMs` clock ms, false otherwise. */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    if (!this.session || !this.isOpen) return true;
    const close = await this.session.waitClosed(timeoutMs);
    if (close === undefined) return false;
    await this.closed;
    return true;
  }

  /** Client-side TCP reset (SO_LINGER 0): the peer sees ECONNRESET. */
  reset(): void {
    if (!this.isOpen) return;
    this.markClientClose("RST");
    this.gone = true;
    this.session?.wire.reset();
  }

  /** Client-side FIN without DISCONNECT. */
  end(): void {
    if (!this.isOpen) return;
    this.markClientClose("FIN");
    this.session?.wire.end();
  }

  /** A clean DISCONNECT, then FIN. */
  disconnect(): void {
    if (!this.isOpen) return;
    this.send({ cmd: "disconnect" });
    this.markClientClose("DISCONNECT");
    this.session?.wire.end();
  }

  /** Ends whatever is left without recording a client close if the broker already closed it. */
  destroy(): void {
    if (this.isOpen) this.markClientClose("FIN");
    this.gone = true;
    this.session?.destroy();
  }

  private markClientClose(kind: "FIN" | "RST" | "DISCONNECT"): void {
    if (this.closing || this.record.closedBy !== null) return;
    this.closing = true;
    this.record.closedBy = "client";
    this.record.closeKind = kind;
  }

  /** Calls `listener` with every packet received from now on (after the record has it, before any waiter). */
  onPacket(listener: (packet: Packet) => void): void {
    this.listeners.push(listener);
  }

  private handlePacket(packet: Packet): void {
    this.record.events.push({ at: this.clock.now(), dir: "in", packet: packet.cmd });
    if (packet.cmd === "disconnect")
      this.brokerDisconnect = packet.reasonCode ?? this.v4ReasonCode(packet.length ?? 0);
    for (const l of this.listeners) l(packet);
  }

  /**
   * NanoMQ sends a v5-style DISCONNECT (`e0 02 82 00`) even on 3.1.1 connections (docs/broker-facts.md), whose reason
   * code a 3.1.1 parser skips. The broker closes right after it, so it is the last bytes received: read the code
   * there. 0 when the DISCONNECT carries none (a plain 3.1.1 `e0 00`).
   */
  private v4ReasonCode(length: number): number {
    const start = this.tail.length - length;
    if (length < 1 || this.tail[start - 2] !== 0xe0 || this.tail[start - 1] !== length) return 0;
    return this.tail[start] ?? 0;
  }

  private onClose(close: SessionClose): void {
    if (!this.closing && this.record.closedBy === null) {
      this.record.closedBy = "broker";
      this.record.closeKind =
        this.brokerDisconnect !== undefined ? "DISCONNECT" : close.kind === "rst" ? "RST" : "FIN";
      this.record.reasonCode = this.brokerDisconnect ?? null;
    }
    this.record.closedAt ??= this.clock.now();
    this.resolveClosed();
  }
}
