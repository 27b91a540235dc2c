import net from "node:net";
import mqttPacket, { type Packet } from "mqtt-packet";
import type { Clock } from "../core/clock.js";
import type { ClientRecord, FleetTarget } from "./types.js";

/**
 * A raw-socket MQTT client for the misbehaving fleet: it sends exactly the packets (or bytes) it is told to,
 * parses what comes back with mqtt-packet, and records on the clock who closed the connection and how.
 * Close classification, from the client's side:
 *   - a DISCONNECT from the broker before the close → closedBy broker, DISCONNECT + its reason code;
 *   - ECONNRESET → closedBy broker, RST;   - the broker's FIN → closedBy broker, FIN;
 *   - reset()/end()/disconnect() → closedBy client with RST/FIN/DISCONNECT.
 */
const TAIL_BYTES = 8;

export class RawClient {
  private socket: net.Socket | undefined;
  private readonly parser: ReturnType<typeof mqttPacket.parser>;
  private waiters: { cmd: Packet["cmd"]; resolve: (p: Packet | null) => void }[] = [];
  private listeners: ((packet: Packet) => void)[] = [];
  private opened = false;
  private brokerDisconnect: number | null | undefined;
  private closing = false;
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
    this.parser = mqttPacket.parser({ protocolVersion });
    this.parser.on("packet", (packet: Packet) => this.handlePacket(packet));
    this.parser.on("error", () => {
      // The broker sent something unparseable: keep the bytes counted, nothing else to do.
    });
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  get isOpen(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  /** Opens the TCP connection; rejects when the target refuses it. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.target.host, port: this.target.port });
      this.socket = socket;
      socket.setNoDelay(true);
      socket.once("connect", () => {
        this.opened = true;
        this.record.events.push({ at: this.clock.now(), dir: "out", packet: "tcp-connect" });
        socket.off("error", reject);
        socket.on("error", (err: NodeJS.ErrnoException) => this.onError(err));
        resolve();
      });
      socket.once("error", reject);
      socket.on("data", (data: Buffer) => {
        this.record.bytesReceived += data.length;
        this.tail = Buffer.concat([this.tail, data]).subarray(-TAIL_BYTES);
        this.parser.parse(data);
      });
      socket.on("end", () => this.onRemoteEnd());
      socket.on("close", () => this.onClose());
    });
  }

  /** Sends CONNECT and waits for CONNACK; true when the broker accepted. */
  async connect(keepaliveS: number, timeoutMs: number, clean = true): Promise<boolean> {
    this.send({
      cmd: "connect",
      protocolId: "MQTT",
      protocolVersion: this.protocolVersion,
      clientId: this.record.clientId,
      clean,
      keepalive: keepaliveS,
    });
    const connack = await this.waitFor("connack", timeoutMs);
    if (connack?.cmd !== "connack") return false;
    const code = this.protocolVersion === 5 ? connack.reasonCode : connack.returnCode;
    if (code !== 0 && code !== undefined) return false;
    this.record.connectedAt = this.clock.now();
    return true;
  }

  send(packet: Packet): void {
    this.write(mqttPacket.generate(packet, { protocolVersion: this.protocolVersion }), packet.cmd);
  }

  /** Raw bytes (a malformed variant); `label` names them in the record's events. */
  write(bytes: Buffer, label: string): void {
    if (!this.isOpen) return;
    this.socket?.write(bytes);
    const at = this.clock.now();
    this.record.lastSentAt = at;
    this.record.events.push({ at, dir: "out", packet: label });
  }

  /** Resolves with the next packet of this type, or null on close or after `timeoutMs` clock ms. */
  waitFor(cmd: Packet["cmd"], timeoutMs: number): Promise<Packet | null> {
    if (!this.isOpen) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiter = {
        cmd,
        resolve: (p: Packet | null) => {
          this.clock.clear(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(p);
        },
      };
      const timer = this.clock.setTimeout(() => waiter.resolve(null), timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Resolves true when the connection closes within `timeoutMs` clock ms, false otherwise. */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    if (!this.opened || this.socket?.destroyed) return true;
    let timer: ReturnType<Clock["setTimeout"]> | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = this.clock.setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([this.closed.then(() => true), timeout]);
    this.clock.clear(timer);
    return result;
  }

  /** Client-side TCP reset (SO_LINGER 0): the peer sees ECONNRESET. */
  reset(): void {
    if (!this.isOpen) return;
    this.markClientClose("RST");
    this.socket?.resetAndDestroy();
  }

  /** Client-side FIN without DISCONNECT. */
  end(): void {
    if (!this.isOpen) return;
    this.markClientClose("FIN");
    this.socket?.end();
  }

  /** A clean DISCONNECT, then FIN. */
  disconnect(): void {
    if (!this.isOpen) return;
    this.send({ cmd: "disconnect" });
    this.markClientClose("DISCONNECT");
    this.socket?.end();
  }

  /** Ends whatever is left without recording a client close if the broker already closed it. */
  destroy(): void {
    if (this.isOpen) this.markClientClose("FIN");
    this.socket?.destroy();
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
    for (const w of [...this.waiters]) if (w.cmd === packet.cmd) w.resolve(packet);
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

  private onRemoteEnd(): void {
    this.markBrokerClose(this.brokerDisconnect !== undefined ? "DISCONNECT" : "FIN");
  }

  private onError(err: NodeJS.ErrnoException): void {
    if (err.code === "ECONNRESET" || err.code === "EPIPE") this.markBrokerClose("RST");
  }

  private markBrokerClose(kind: "FIN" | "RST" | "DISCONNECT"): void {
    if (this.closing || this.record.closedBy !== null) return;
    this.record.closedBy = "broker";
    this.record.closeKind = this.brokerDisconnect !== undefined ? "DISCONNECT" : kind;
    this.record.reasonCode = this.brokerDisconnect ?? null;
  }

  private onClose(): void {
    if (!this.opened) {
      this.resolveClosed();
      return;
    }
    this.markBrokerClose("FIN");
    this.record.closedAt ??= this.clock.now();
    this.record.bytesReceived = Math.max(this.record.bytesReceived, this.socket?.bytesRead ?? 0);
    for (const w of [...this.waiters]) w.resolve(null);
    this.resolveClosed();
  }
}
