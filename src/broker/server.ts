import { EventEmitter } from "node:events";
import net from "node:net";
import { realClock } from "../core/clock.js";
import { UsageError } from "../core/errors.js";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../core/profile.js";
import { findTemplate } from "../signatures/render.js";
import { BrokerLog } from "./broker-log.js";
import { type BrokerContext, Connection } from "./connection.js";
import { receive } from "./intake.js";
import { createKeepaliveModel } from "./keepalive/index.js";
import { afterClose } from "./leave.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { brokerProfile } from "./profiles/broker-profile.js";
import { RetainedStore } from "./retained-store.js";
import { SessionStore } from "./sessions/session-store.js";
import { SubscriptionTable } from "./subscriptions.js";
import type { Broker, BrokerFaults, BrokerLogLine, BrokerOptions, BrokerStats, TraceEvent } from "./types.js";

/** Starts the embedded broker; resolves once it is listening (port 0 = a free port, read back). */
export async function startBroker(options: BrokerOptions = {}): Promise<Broker> {
  const profile: ProfileOptions = {
    profile: options.profile ?? DEFAULT_PROFILE_OPTIONS.profile,
    retryIntervalMs: options.retryIntervalMs ?? DEFAULT_PROFILE_OPTIONS.retryIntervalMs,
    keepaliveMultiplier: options.keepaliveMultiplier ?? DEFAULT_PROFILE_OPTIONS.keepaliveMultiplier,
    nanomqVersion: options.nanomqVersion ?? DEFAULT_PROFILE_OPTIONS.nanomqVersion,
    ...(options.tickFault ? { tickFault: options.tickFault } : {}), // simulated (--tick-jitter / --tick-drift)
    ...(options.serverKeepalive ? { serverKeepalive: options.serverKeepalive } : {}),
  };
  const host = options.host ?? "127.0.0.1";
  const server = net.createServer({ noDelay: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(new UsageError(`cannot listen on ${host}:${options.port ?? 1883}: ${err.code ?? err.message}`)),
    );
    server.listen(options.port ?? 1883, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return new EmbeddedBroker(server, host, port, profile, options);
}

type Listener = ((line: BrokerLogLine) => void) | ((event: TraceEvent) => void);

class EmbeddedBroker implements Broker {
  readonly url: string;
  readonly clock;
  readonly faults: BrokerFaults = {};
  private readonly events = new EventEmitter();
  private readonly ctx: BrokerContext;
  private closing: Promise<void> | undefined;
  private readonly connectTimeoutOverride: number | undefined;

  constructor(
    private readonly server: net.Server,
    readonly host: string,
    readonly port: number,
    readonly profile: ProfileOptions,
    options: BrokerOptions,
  ) {
    this.url = `mqtt://${host.includes(":") ? `[${host}]` : host}:${port}`;
    this.clock = options.clock ?? realClock();
    const clock = this.clock;
    const behaviour = brokerProfile(profile);
    let pipeId = 0;
    const subscriptions = new SubscriptionTable();
    this.ctx = {
      clock,
      options: profile,
      profile: behaviour,
      faults: this.faults,
      limits: {
        maxPacketBytes: options.maxPacketBytes ?? DEFAULT_LIMITS.maxPacketBytes,
        maxOutboundBytes: options.maxOutboundBytes ?? DEFAULT_LIMITS.maxOutboundBytes,
        receiveMaximum: options.receiveMaximum ?? DEFAULT_LIMITS.receiveMaximum,
      },
      log: new BrokerLog(clock, clock.now(), profile, behaviour.dialect, {
        keep: options.keepLogLines ?? true,
        listened: () => this.events.listenerCount("log") > 0,
        emit: (line) => this.events.emit("log", line),
      }),
      keepalive: createKeepaliveModel(clock, profile),
      connections: new Set(),
      clients: new Map(),
      subscriptions,
      retained: new RetainedStore(),
      sessions: new SessionStore(clock, subscriptions),
      sessionPolicy: behaviour.sessionPolicy,
      // The store check decodes the fresh encoding; a copy broken in storage shows at delivery where the era has
      // that check (≥ 0.22.3), and at the store check only in an era without it.
      decodeRetainedAtStore:
        profile.profile === "nanomq" &&
        findTemplate("retain-decode-failure", "store", "nanomq", profile.nanomqVersion) !== undefined &&
        findTemplate("retain-decode-failure", "deliver", "nanomq", profile.nanomqVersion) === undefined,
      stats: { internalErrors: 0, violations: 0, droppedMessages: 0, queueOverflow: 0 },
      nextPipeId: () => ++pipeId,
      afterClose,
      trace: (event) => {
        if (this.events.listenerCount("trace") > 0) this.events.emit("trace", event);
      },
    };
    this.connectTimeoutOverride = options.connectTimeoutMs;
    const connectTimeoutMs = options.connectTimeoutMs ?? behaviour.connectTimeoutMs;
    server.on("connection", (socket) => this.accept(socket, connectTimeoutMs));
    // Broker-wide keepalive timers start with the broker (mosquitto's sweep phase is set at its start).
    this.ctx.keepalive.start?.();
  }

  private accept(socket: net.Socket, connectTimeoutMs: number): void {
    const ctx = this.ctx;
    if (this.closing) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const conn = new Connection(ctx, socket);
    ctx.connections.add(conn);
    socket.on("data", (chunk: Buffer) => receive(conn, chunk));
    socket.on("error", () => conn.notePeerReset());
    socket.on("end", () => conn.peerGone());
    socket.on("close", () => conn.peerGone());
    ctx.log.event({ type: "accepted", conn: conn.info(), listenerPort: this.port }, null, conn.tid);
    const noConnect = () => {
      if (conn.connected || conn.isClosed) return;
      ctx.log.event({ type: "connect-timeout", conn: conn.info() }, null, conn.tid);
      conn.close("connect-timeout");
    };
    const keepaliveMs = ctx.profile.noConnectKeepaliveMs;
    if (keepaliveMs !== null && this.connectTimeoutOverride === undefined) {
      // mosquitto: the silent new connection is kicked by the keepalive sweep, like any client
      conn.watch = ctx.keepalive.watch(keepaliveMs, { onKick: noConnect });
    } else {
      conn.connectTimer = ctx.clock.setTimeout(noConnect, connectTimeoutMs);
    }
  }

  on(event: "log", listener: (line: BrokerLogLine) => void): this;
  on(event: "trace", listener: (event: TraceEvent) => void): this;
  on(event: "log" | "trace", listener: Listener): this {
    this.events.on(event, listener as (arg: unknown) => void);
    return this;
  }

  off(event: "log", listener: (line: BrokerLogLine) => void): this;
  off(event: "trace", listener: (event: TraceEvent) => void): this;
  off(event: "log" | "trace", listener: Listener): this {
    this.events.off(event, listener as (arg: unknown) => void);
    return this;
  }

  logLines(): readonly BrokerLogLine[] {
    return this.ctx.log.all();
  }

  stats(): BrokerStats {
    return {
      connections: this.ctx.connections.size,
      internalErrors: this.ctx.stats.internalErrors,
      violations: this.ctx.stats.violations,
      droppedMessages: this.ctx.stats.droppedMessages,
      queueOverflow: this.ctx.stats.queueOverflow,
      sessions: this.ctx.sessions.size,
    };
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const conn of [...this.ctx.connections]) conn.close("broker-shutdown");
      this.ctx.keepalive.close();
      this.ctx.sessions.close();
      this.server.close(() => resolve());
    });
    return this.closing;
  }
}
