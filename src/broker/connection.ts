import type net from "node:net";
import mqttPacket, { type IConnectPacket, type Packet } from "mqtt-packet";
import type { Clock, TimerHandle } from "../core/clock.js";
import type { ProfileOptions } from "../core/profile.js";
import { FrameReader } from "../mqtt-wire/frame-reader.js";
import type { BrokerLog } from "./broker-log.js";
import type { ConnInfo } from "./dialects/types.js";
import type { PipeTick } from "./keepalive/pipe-tick.js";
import type {
  KeepaliveEvents,
  KeepaliveModel,
  KeepaliveWatch,
  KickInfo,
  TickInfo,
} from "./keepalive/types.js";
import type { BrokerLimits } from "./limits.js";
import type { BrokerProfile } from "./profiles/broker-profile.js";
import { disconnectBytes } from "./profiles/reaction.js";
import type { RetainedStore } from "./retained-store.js";
import { type OutboundFlight, Session } from "./sessions/session.js";
import type { SessionPolicy } from "./sessions/session-policy.js";
import type { SessionStore } from "./sessions/session-store.js";
import type { SubscriptionTable } from "./subscriptions.js";
import type { BrokerFaults, CloseCause, TraceEvent } from "./types.js";
import "./wire/lazy-number-cache.js"; // before the broker's first encode

/** How long (clock ms) a closing connection may take to flush what is queued for the peer before it is dropped. */
const CLOSE_GRACE_MS = 2000;

export type { OutboundFlight };

/** The will a CONNECT carried. */
export type Will = NonNullable<IConnectPacket["will"]>;

export interface CloseOptions {
  rv?: number;
  sendFirst?: Buffer;
  /** Close with a TCP RST instead of a FIN. */
  reset?: boolean;
}

/**
 * One TCP connection: its socket, its MQTT state, and how it closes. Packet handling is in ./intake.ts. It takes its
 * keepalive model's events itself (no closures per connection).
 */
export class Connection implements KeepaliveEvents {
  readonly pipeId: number;
  readonly reader: FrameReader;
  readonly ip: string;
  readonly port: number;
  clientId: string | null = null;
  protocolVersion = 4;
  connected = false;
  clean = true;
  /** The keepalive in force (s): the client's, or the Server Keep Alive the broker told it. */
  keepaliveS = 0;
  /** The keepalive the client's CONNECT asked for (s). */
  requestedKeepaliveS = 0;
  /** (5.0) the Maximum Packet Size the client sent in CONNECT. */
  peerMaximumPacketBytes: number | undefined;
  /** (5.0) the client's Receive Maximum (src/broker/flow/receive-maximum.ts); 3.1.1 clients have none. */
  peerReceiveMaximum = 65_535;
  /** Clock ms of the accepted CONNECT. */
  connectedAt = 0;
  /** NanoMQ's re-send of kept messages, one per tick of `tick`, is under way (src/broker/flow/tick-resend.ts). */
  get dripping(): boolean {
    return this.drip;
  }
  /** Under way: the pipe's timer, which leaves out idle ticks, fires at every tick again (pipe-tick.ts, wake). */
  set dripping(on: boolean) {
    this.drip = on;
    if (on) this.tick?.wake();
  }
  private drip = false;
  /**
   * A resumed session being re-sent from NanoMQ's session cache, one message per tick: the packet id the next tick
   * looks from (NanoMQ's `rid`), undefined when no resume is under way (src/broker/flow/tick-resend.ts).
   */
  resendFrom: number | undefined;
  will: Will | undefined;
  /** (5.0) the Will Delay Interval (s) its CONNECT's will carried, if it carried one. */
  willDelayS: number | undefined;
  // created at first use (most clients use no alias; an empty Map is ~200 bytes)
  private inboundAliases: Map<number, string> | undefined;
  private outboundAliasMap: Map<string, number> | undefined;
  /** (5.0) the client's Topic Alias Maximum (CONNECT): how many aliases the broker may use towards it. */
  peerTopicAliasMaximum = 0;
  /** The session this connection is attached to (src/broker/sessions); a throwaway one until CONNECT. */
  session = new Session("", 0);
  watch: KeepaliveWatch | undefined;
  connectTimer: TimerHandle | undefined;
  /**
   * The connection's one timer, on a profile that has one (NanoMQ's pipe timer, src/broker/keepalive/pipe-tick.ts):
   * the kick, the session-cache re-sends and the end of a kept session follow its ticks.
   */
  tick: PipeTick | undefined;
  private closed = false;
  private peerReset = false;

  constructor(
    readonly ctx: BrokerContext,
    readonly socket: net.Socket,
  ) {
    this.pipeId = ctx.nextPipeId();
    this.reader = new FrameReader(ctx.limits.maxPacketBytes);
    this.ip = socket.remoteAddress ?? "";
    this.port = socket.remotePort ?? 0;
  }

  /** v5 inbound topic aliases. */
  get topicAliases(): Map<number, string> {
    this.inboundAliases ??= new Map();
    return this.inboundAliases;
  }

  /** v5 outbound topic aliases, topic → alias (src/broker/topic-alias.ts). */
  get outboundAliases(): Map<string, number> {
    this.outboundAliasMap ??= new Map();
    return this.outboundAliasMap;
  }

  /** NanoMQ's thread id in its lines: a stable small number per connection. */
  get tid(): number {
    return 100 + this.pipeId;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  info(): ConnInfo {
    return {
      clientId: this.clientId,
      pipeId: this.pipeId,
      ip: this.ip,
      port: this.port,
      protocolVersion: this.protocolVersion,
      clean: this.clean,
      keepaliveS: this.keepaliveS,
      requestedKeepaliveS: this.requestedKeepaliveS,
      connected: this.connected,
    };
  }

  notePeerReset(): void {
    this.peerReset = true;
  }

  peerGone(): void {
    this.close(this.peerReset ? "peer-reset" : "peer-closed");
  }

  /** Outbound QoS 1/2 messages awaiting their acks: the session's, so they outlive the connection. */
  get outbound(): Map<number, OutboundFlight> {
    return this.session.outbound;
  }

  /** QoS 2 packet ids received and not yet released [MQTT-4.3.3-2] (3.1.1): the session's. */
  get inboundQos2(): Set<number> {
    return this.session.inboundQos2;
  }

  /** A free packet identifier, or undefined when all 65535 are in flight (the message is then dropped). */
  allocateMessageId(): number | undefined {
    return this.session.allocateMessageId();
  }

  /** Sends a packet; false when it was not sent (closed, or larger than the client's Maximum Packet Size). */
  send(packet: Packet): boolean {
    if (this.closed || this.socket.destroyed) return false;
    const bytes = mqttPacket.generate(packet, { protocolVersion: this.protocolVersion });
    // [MQTT-3.1.2-25] (5.0) never send a packet larger than the client's Maximum Packet Size: discard it
    if (packet.cmd === "publish" && bytes.length > (this.peerMaximumPacketBytes ?? bytes.length))
      return false;
    this.socket.write(bytes);
    this.ctx.trace({
      type: "packet-out",
      at: this.ctx.clock.now(),
      clientId: this.clientId,
      packet: packet.cmd,
    });
    return true;
  }

  /** The peer has not yet taken more than the broker's limit of what was written to it. */
  get outboundFull(): boolean {
    return this.socket.writableLength > this.ctx.limits.maxOutboundBytes;
  }

  sendRaw(bytes: Buffer, name: string): void {
    if (this.closed || this.socket.destroyed) return;
    this.socket.write(bytes);
    this.ctx.trace({ type: "packet-out", at: this.ctx.clock.now(), clientId: this.clientId, packet: name });
  }

  /**
   * FIN after what is still queued; but a peer that does not read never lets the queue (and the FIN) out, so the
   * socket is destroyed after a grace time rather than held forever (and broker.close() would never finish).
   */
  private endGracefully(): void {
    const socket = this.socket;
    const clock = this.ctx.clock;
    const timer = clock.setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    socket.once("close", () => clock.clear(timer));
    socket.end(() => socket.destroy());
  }

  /**
   * FIN after what is still queued, then what the peer still sends is read and dropped until it closes too (or the
   * grace time ends): a socket destroyed with data arriving answers it with a RST, and a RST can make the peer's
   * TCP drop what it had not read yet — the DISCONNECT and its reason code among it (RFC 1122 §4.2.2.13). The
   * spec profile closes this way (BrokerProfile.drainsOnClose).
   */
  private endDraining(): void {
    const socket = this.socket;
    const clock = this.ctx.clock;
    const timer = clock.setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    socket.once("close", () => clock.clear(timer));
    socket.end();
  }

  /** KeepaliveEvents: the model kicks this client (watched from its CONNECT on). */
  onKick(info: KickInfo): void {
    this.kick(info.lastInboundAt, info.limitMs);
  }

  /** KeepaliveEvents: each evaluation of this client, traced. */
  onTick(tick: TickInfo): void {
    this.ctx.trace({
      type: "tick",
      at: tick.at,
      clientId: this.clientId ?? "",
      counter: tick.counter,
      kicked: tick.kicked,
    });
  }

  /** The keepalive model kicked this client. */
  kick(lastInboundAt: number, limitMs: number): void {
    const at = this.ctx.clock.now();
    this.ctx.log.event(
      { type: "kicked", conn: this.info(), silentMs: Math.round(at - lastInboundAt), limitMs },
      this.clientId,
      this.tid,
    );
    this.ctx.trace({ type: "kick", at, clientId: this.clientId ?? "", lastInboundAt, limitMs });
    const rc = this.ctx.profile.kickReasonCode;
    this.close(
      "keepalive",
      rc !== null && this.protocolVersion === 5 ? { sendFirst: disconnectBytes(rc) } : {},
    );
  }

  /** Closes the connection once, for `cause`: logs the profile's lines, publishes the will unless clean or a bug. */
  close(cause: CloseCause, options: CloseOptions = {}): void {
    if (this.closed) return;
    this.closed = true;
    const ctx = this.ctx;
    this.watch?.stop();
    ctx.clock.clear(this.connectTimer);
    if (options.sendFirst && !this.socket.destroyed) {
      this.socket.write(options.sendFirst);
      ctx.trace({ type: "packet-out", at: ctx.clock.now(), clientId: this.clientId, packet: "disconnect" });
    }
    if (cause === "peer-reset" || cause === "peer-closed") this.socket.destroy();
    else if (options.reset) this.socket.resetAndDestroy();
    else if (ctx.profile.drainsOnClose && cause !== "broker-shutdown") this.endDraining();
    else this.endGracefully();
    ctx.connections.delete(this);
    const info = this.info();
    // [MQTT-3.1.2-8] the will is published when the connection closes without a DISCONNECT; not when mqdiag's own
    // bug closed it (an internal error, src/broker/intake.ts): a bug must not produce broker behaviour
    const willCloses = cause !== "disconnect" && cause !== "broker-shutdown" && cause !== "internal-error";
    const will = this.connected && willCloses ? this.will : undefined;
    const owner = this.connected && this.clientId !== null && ctx.clients.get(this.clientId) === this;
    if (owner && this.clientId !== null) ctx.clients.delete(this.clientId);
    // an internal error is mqdiag's bug, not the broker's behaviour: no dialect line for it (src/broker/intake.ts)
    if (cause !== "internal-error") {
      ctx.log.event({ type: "closed", conn: info, cause, rv: options.rv }, this.clientId, this.tid);
    }
    ctx.trace({ type: "close", at: ctx.clock.now(), clientId: this.clientId, cause });
    ctx.afterClose(this, { owner, will }); // the session and the will (src/broker/leave.ts)
    this.will = undefined;
    this.tick?.endLive(); // runs on only for what waits on a kept session's ticks
  }
}

/** What Connection.close() hands over: whether it was its client id's connection, and the will to publish, if any. */
export interface Left {
  owner: boolean;
  will: Will | undefined;
}

/** The broker's shared state, handed to every connection and handler (here, beside Connection: each names the other). */
export interface BrokerContext {
  readonly clock: Clock;
  readonly options: ProfileOptions;
  readonly profile: BrokerProfile;
  readonly faults: BrokerFaults;
  readonly limits: BrokerLimits;
  readonly log: BrokerLog;
  readonly keepalive: KeepaliveModel;
  readonly connections: Set<Connection>;
  /** Connected clients by client id. */
  readonly clients: Map<string, Connection>;
  readonly subscriptions: SubscriptionTable;
  readonly retained: RetainedStore;
  readonly sessions: SessionStore;
  /** The profile's offline queue and resume policy. */
  readonly sessionPolicy: SessionPolicy;
  /** A NanoMQ era whose only retained check is at store (from 0.21.10 until the delivery check, 0.22.3). */
  readonly decodeRetainedAtStore: boolean;
  readonly stats: {
    internalErrors: number;
    violations: number;
    droppedMessages: number;
    queueOverflow: number;
  };
  nextPipeId(): number;
  /** What a connection's close means for its session and will (./leave.ts). */
  afterClose(conn: Connection, left: Left): void;
  trace(event: TraceEvent): void;
}
