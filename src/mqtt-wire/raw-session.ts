import mqttPacket, { type IConnackPacket, type IConnectPacket, type Packet } from "mqtt-packet";
import type { Target } from "../core/target.js";
import { openWire, type TransportOptions, type Wire } from "./transport.js";

/** How a session ended as the client saw it: a DISCONNECT (with its reason code) before the close wins. */
export type CloseKind = "fin" | "rst" | "disconnect" | "error" | "local";

export interface SessionClose {
  kind: CloseKind;
  /** Clock ms when the connection was gone (or the DISCONNECT arrived). */
  at: number;
  /** DISCONNECT reason code (MQTT 5), when kind is "disconnect". */
  reasonCode?: number;
  errno?: string;
}

export type ProtocolVersion = 4 | 5;

export type ConnectParams = Omit<IConnectPacket, "cmd" | "protocolVersion" | "protocolId"> & {
  protocolVersion: ProtocolVersion;
};

export type ConnectOutcome =
  | { kind: "connack"; connack: IConnackPacket; connackMs: number }
  | { kind: "timeout" }
  | { kind: "closed"; close: SessionClose }
  | { kind: "garbage"; detail: string };

/**
 * A hand-driven MQTT session on raw bytes, the one the probe's checks and the fleet's misbehaving clients
 * (src/fleet/raw-client.ts) both drive: it sends only what it is told to (no automatic PINGREQ), parses what the
 * broker sends with mqtt-packet, and records exactly how the connection ended. Every wait is bounded.
 */
export class RawSession {
  private readonly listeners = new Set<(p: Packet) => void>();
  private readonly byteListeners = new Set<(bytes: Buffer) => void>();
  private readonly sendListeners = new Set<(label: string) => void>();
  private readonly closeListeners = new Set<(close: SessionClose) => void>();
  private readonly waiters = new Set<{ match: (p: Packet) => boolean; done: (p?: Packet) => void }>();
  private parser: ReturnType<typeof mqttPacket.parser>;
  private disconnect?: { at: number; reasonCode?: number };
  private ended = false;
  /** Clock ms of the last packet (or bytes) this session sent. */
  lastSentAt: number;
  parseError?: string;
  readonly closed: Promise<SessionClose>;

  private constructor(
    readonly wire: Wire,
    private readonly transport: TransportOptions,
    private version: ProtocolVersion,
  ) {
    const { clock } = transport;
    this.lastSentAt = clock.now();
    this.parser = mqttPacket.parser({ protocolVersion: version });
    this.bindParser();
    wire.onData((bytes) => {
      for (const l of this.byteListeners) l(bytes);
      this.parser.parse(bytes);
    });
    this.closed = wire.closed.then((c) => {
      this.ended = true;
      const close: SessionClose = this.disconnect
        ? { kind: "disconnect", ...this.disconnect }
        : { kind: c.kind, at: c.at, errno: c.code };
      for (const l of this.closeListeners) l(close);
      for (const w of this.waiters) w.done(undefined);
      this.waiters.clear();
      return close;
    });
  }

  /** Opens the connection; the broker's packets are parsed as `version` until connect() says otherwise. */
  static async open(
    target: Target,
    transport: TransportOptions,
    version: ProtocolVersion = 4,
  ): Promise<RawSession> {
    return new RawSession(await openWire(target, transport), transport, version);
  }

  get isClosed(): boolean {
    return this.ended;
  }

  private bindParser(): void {
    this.parser.on("packet", (packet: Packet) => {
      if (packet.cmd === "disconnect" && !this.disconnect) {
        this.disconnect = { at: this.transport.clock.now(), reasonCode: packet.reasonCode };
      }
      for (const l of this.listeners) l(packet);
      for (const w of [...this.waiters]) {
        if (w.match(packet)) {
          this.waiters.delete(w);
          w.done(packet);
        }
      }
    });
    this.parser.on("error", (err: Error) => {
      this.parseError ??= err.message;
      for (const w of this.waiters) w.done(undefined);
      this.waiters.clear();
    });
  }

  /** Sees every packet the broker sends from now on. */
  onPacket(listener: (p: Packet) => void): void {
    this.listeners.add(listener);
  }

  /** Sees every chunk of bytes the broker sends from now on, before its packets are parsed. */
  onBytes(listener: (bytes: Buffer) => void): void {
    this.byteListeners.add(listener);
  }

  /** Sees what this session sends from now on: the packet's cmd, or the label given to sendBytes. */
  onSend(listener: (label: string) => void): void {
    this.sendListeners.add(listener);
  }

  /** Sees the close, before any wait still open ends. */
  onClose(listener: (close: SessionClose) => void): void {
    this.closeListeners.add(listener);
  }

  /** Encodes for `version`: by default the session's own (the one opened or connected with). */
  send(packet: Packet, version: ProtocolVersion = this.version): void {
    this.sendBytes(mqttPacket.generate(packet, { protocolVersion: version }), packet.cmd);
  }

  sendBytes(bytes: Buffer, label = "bytes"): void {
    this.lastSentAt = this.transport.clock.now();
    this.wire.write(bytes);
    for (const l of this.sendListeners) l(label);
  }

  /** The first packet (from now on) that matches, or undefined on timeout, close or unparsable bytes. */
  waitFor(match: Packet["cmd"] | ((p: Packet) => boolean), timeoutMs: number): Promise<Packet | undefined> {
    const test = typeof match === "string" ? (p: Packet) => p.cmd === match : match;
    if (this.ended || this.parseError) return Promise.resolve(undefined);
    const { clock } = this.transport;
    return new Promise((resolve) => {
      const waiter = {
        match: test,
        done: (p?: Packet) => {
          clock.clear(timer);
          resolve(p);
        },
      };
      const timer = clock.setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Sends CONNECT and waits (bounded) for the CONNACK. */
  async connect(params: ConnectParams, timeoutMs: number): Promise<ConnectOutcome> {
    const { clock } = this.transport;
    this.version = params.protocolVersion;
    this.parser = mqttPacket.parser({ protocolVersion: params.protocolVersion });
    this.bindParser();
    const packet: IConnectPacket = {
      cmd: "connect",
      protocolId: "MQTT",
      clean: true,
      ...params,
    };
    const sentAt = clock.now();
    this.send(packet, params.protocolVersion);
    const reply = await this.waitFor("connack", timeoutMs);
    if (reply?.cmd === "connack") return { kind: "connack", connack: reply, connackMs: clock.now() - sentAt };
    if (this.parseError) return { kind: "garbage", detail: this.parseError };
    if (this.ended) return { kind: "closed", close: await this.closed };
    return { kind: "timeout" };
  }

  /** Resolves with the close, or undefined if the connection is still open after `timeoutMs` or once `until` resolves. */
  async waitClosed(timeoutMs: number, until?: Promise<unknown>): Promise<SessionClose | undefined> {
    const { clock } = this.transport;
    let timer: ReturnType<typeof clock.setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = clock.setTimeout(() => resolve(undefined), timeoutMs);
    });
    const stop = until?.then(() => undefined) ?? timeout;
    const result = await Promise.race([this.closed, timeout, stop]);
    clock.clear(timer);
    return result;
  }

  /** Closes without waiting; safe to call more than once. */
  destroy(): void {
    this.wire.destroy();
  }
}

/** Opens a raw session and connects it; on any failure the socket is closed before returning. */
export async function openSession(
  target: Target,
  transport: TransportOptions,
  params: ConnectParams,
): Promise<{ session: RawSession; outcome: ConnectOutcome }> {
  const session = await RawSession.open(target, transport);
  const outcome = await session.connect(params, transport.timeoutMs);
  if (outcome.kind !== "connack" || !isAccepted(outcome.connack)) session.destroy();
  return { session, outcome };
}

export function isAccepted(connack: IConnackPacket): boolean {
  return (connack.reasonCode ?? connack.returnCode ?? 0) === 0;
}

export function connackCode(connack: IConnackPacket): number {
  return connack.reasonCode ?? connack.returnCode ?? 0;
}
