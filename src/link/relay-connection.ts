import net from "node:net";
import type { TimerHandle } from "../core/clock.js";
import { stalledUntil } from "./gate.js";
import { OneWay, type OneWayContext, type WayOutput } from "./one-way.js";
import type { ThreadHooks } from "./thread-hooks.js";
import type { Direction, StallFault } from "./types.js";
import type { WayFaults } from "./way-faults.js";

export interface RelayContext extends Omit<OneWayContext, "conn"> {
  target: { host: string; port: number };
  faults: Record<Direction, WayFaults>;
  /** Every stall, both ways: a connection is dialed through only while none is active. */
  stalls: readonly StallFault[];
  onFinished(conn: RelayConnection): void;
  thread: ThreadHooks;
}

/**
 * One client connection through the relay: the client's socket, the broker-side socket dialed for it, and a
 * OneWay each way. Half-closes pass as such (allowHalfOpen), so a FIN is relayed as a FIN and an RST as an RST.
 * A socket the relay reset itself (a reset fault) stays dead: its close is not passed on, and data later sent
 * towards it is answered with an RST, as a TCP peer that forgot the connection does.
 */
export class RelayConnection {
  private upstream: net.Socket | undefined;
  private readonly toBroker: OneWay;
  private readonly toClient: OneWay;
  private dialTimer: TimerHandle | undefined;
  private clientClosed = false;
  private upstreamClosed = false;
  private readonly killed = new Set<net.Socket>();
  private finished = false;
  private stopping = false;
  private resolveFinished!: () => void;
  readonly whenFinished = new Promise<void>((resolve) => {
    this.resolveFinished = resolve;
  });

  constructor(
    private readonly ctx: RelayContext,
    readonly id: number,
    private readonly client: net.Socket,
  ) {
    const wayCtx: OneWayContext = { ...ctx, conn: id };
    this.toBroker = new OneWay(wayCtx, "to-broker", ctx.faults["to-broker"]);
    this.toClient = new OneWay(wayCtx, "to-client", ctx.faults["to-client"]);
    ctx.thread.track(client);
    client.setNoDelay(true);
    this.on(client, "data", (b: Buffer) => this.toBroker.push(b));
    this.on(client, "end", () => {
      // a connection the client gives up before it was dialed through is gone: its SYN stops being retried
      if (this.upstream === undefined) this.abandon();
      else this.toBroker.pushEnd();
    });
    this.on(client, "error", () => {
      if (!this.killed.has(client)) this.toBroker.pushReset();
    });
    this.on(client, "close", () => {
      this.clientClosed = true;
      if (!this.killed.has(client)) this.toBroker.pushEnd();
      this.maybeFinished();
    });
    ctx.event({ conn: id, kind: "accepted" });
    this.dialWhenOpen();
  }

  /** A reset fault: RST to the client, to the broker, or both. */
  reset(way: Direction): void {
    const socket = way === "to-client" ? this.client : this.upstream;
    if (!socket || socket.destroyed) return;
    this.killed.add(socket);
    this.ctx.event({ conn: this.id, kind: "reset", direction: way });
    socket.resetAndDestroy();
    this.touch();
  }

  /** Clock ms at which it was dialed through to the broker (Infinity: not yet). */
  private dialedAt = Number.POSITIVE_INFINITY;

  /** Dialed through before `at` (clock ms) and not yet closed on the broker side. */
  establishedBefore(at: number): boolean {
    return this.dialedAt < at && !this.upstreamClosed;
  }

  /** Closes both sockets and clears every timer; resolves once both sockets are closed. */
  stop(): Promise<void> {
    this.stopping = true;
    this.ctx.clock.clear(this.dialTimer);
    this.dialTimer = undefined;
    this.toBroker.stop();
    this.toClient.stop();
    this.client.destroy();
    this.upstream?.destroy();
    this.touch();
    this.maybeFinished();
    return this.whenFinished;
  }

  /** A connection opened during a stall waits for its end (its SYN is lost meanwhile); for good = never. */
  private dialWhenOpen(): void {
    const { clock, startAt } = this.ctx;
    this.dialTimer = undefined;
    const until = stalledUntil(this.ctx.stalls, clock.now() - startAt);
    if (this.clientClosed) this.maybeFinished();
    else if (until === null) this.dial();
    else if (until !== Number.POSITIVE_INFINITY)
      this.dialTimer = clock.setTimeout(() => this.dialWhenOpen(), startAt + until - clock.now());
  }

  private dial(): void {
    const up = net.connect({ host: this.ctx.target.host, port: this.ctx.target.port, allowHalfOpen: true });
    this.upstream = up;
    this.ctx.thread.track(up);
    up.setNoDelay(true);
    let connected = false;
    this.on(up, "connect", () => {
      connected = true;
      this.dialedAt = this.ctx.clock.now();
      this.ctx.event({ conn: this.id, kind: "dialed" });
      this.toBroker.attach(this.output(up, this.client));
      this.toClient.attach(this.output(this.client, up));
    });
    this.on(up, "data", (b: Buffer) => this.toClient.push(b));
    this.on(up, "end", () => {
      this.brokerClosed();
      this.toClient.pushEnd();
    });
    this.on(up, "error", () => {
      // refused or unreachable: the client's connection is reset, as the broker's host would have
      if (!connected) this.killClient();
      else if (!this.killed.has(up)) this.toClient.pushReset();
    });
    this.on(up, "close", () => {
      if (connected && !this.killed.has(up)) this.brokerClosed();
      this.upstreamClosed = true;
      if (!this.killed.has(up)) this.toClient.pushEnd();
      this.maybeFinished();
    });
  }

  private brokerClosedSeen = false;

  /** The broker's FIN or RST reached the relay (recorded once, before any stall holds it from the client). */
  private brokerClosed(): void {
    if (this.brokerClosedSeen || this.stopping) return;
    this.brokerClosedSeen = true;
    this.ctx.event({ conn: this.id, kind: "broker-closed" });
  }

  private abandon(): void {
    this.ctx.clock.clear(this.dialTimer);
    this.dialTimer = undefined;
    this.client.destroy();
    this.touch();
  }

  private killClient(): void {
    if (this.client.destroyed) return;
    this.killed.add(this.client);
    this.client.resetAndDestroy();
    this.touch();
  }

  /** Listens to `socket` as one handler of the relay thread's (thread-hooks.ts): both sockets published after. */
  private on<A extends unknown[]>(socket: net.Socket, event: string, fn: (...args: A) => void): void {
    socket.on(event, (...args: A) =>
      this.ctx.thread.guard(() => {
        fn(...args);
        this.touch();
      }),
    );
  }

  /** Both sockets may have changed: published when the current handler returns. */
  private touch(): void {
    this.ctx.thread.touch(this.client);
    this.ctx.thread.touch(this.upstream);
  }

  /** Writes to `to`; data for a socket that is gone is answered with an RST to `from`. */
  private output(to: net.Socket, from: net.Socket): WayOutput {
    return {
      write: (bytes) => {
        if (!to.destroyed && to.writable) to.write(bytes);
        else if (this.killed.has(to) && !from.destroyed) {
          this.killed.add(from);
          from.resetAndDestroy();
        }
        this.touch();
      },
      end: () => {
        if (!to.destroyed) to.end();
        this.touch();
      },
      reset: () => {
        if (to.destroyed) return;
        this.killed.add(to);
        to.resetAndDestroy();
        this.touch();
      },
    };
  }

  private maybeFinished(): void {
    if (this.finished || !this.clientClosed) return;
    if (this.upstream !== undefined ? !this.upstreamClosed : this.dialTimer !== undefined) return;
    this.finished = true;
    this.ctx.clock.clear(this.dialTimer);
    this.toBroker.stop();
    this.toClient.stop();
    this.ctx.event({ conn: this.id, kind: "closed" });
    this.ctx.onFinished(this);
    this.resolveFinished();
  }
}
