import type { Broker, CloseCause, TraceEvent } from "../../broker/index.js";
import type { Clock } from "../../core/clock.js";

/** What the broker saw of one client id, on the clock: its CONNECT, its PINGREQs' arrivals, its connection's end. */
export interface ClientSeen {
  connectAt: number | null;
  pingreqAt: number[];
  closedAt: number | null;
  closeCause: CloseCause | null;
}

/** The broker's trace, handed to the ClientWatch of each client id (one listener, however many clients). */
export class TraceWatches {
  private readonly watches = new Map<string, ClientWatch>();
  private readonly listener = (e: TraceEvent) => {
    if (e.clientId !== null) this.watches.get(e.clientId)?.onTrace(e);
  };

  constructor(private readonly broker: Broker) {
    broker.on("trace", this.listener);
  }

  watch(clientId: string): ClientWatch {
    const w = new ClientWatch(() => this.watches.delete(clientId));
    this.watches.set(clientId, w);
    return w;
  }

  dispose(): void {
    this.broker.off("trace", this.listener);
  }
}

/** What the broker saw of one client id; `until` waits for a condition on it. */
export class ClientWatch {
  readonly seen: ClientSeen = { connectAt: null, pingreqAt: [], closedAt: null, closeCause: null };
  private readonly waiters = new Set<() => void>();

  constructor(private readonly onDispose: () => void) {}

  onTrace(e: TraceEvent): void {
    if (e.type === "connect") this.seen.connectAt ??= e.at;
    else if (e.type === "packet-in" && e.packet === "pingreq") this.seen.pingreqAt.push(e.at);
    else if (e.type === "close" && this.seen.closedAt === null) {
      this.seen.closedAt = e.at;
      this.seen.closeCause = e.cause;
    }
    for (const w of this.waiters) w();
  }

  /** Resolves true once `predicate` holds, false when `timeoutMs` clock ms passed first. */
  until(clock: Clock, predicate: (seen: ClientSeen) => boolean, timeoutMs: number): Promise<boolean> {
    if (predicate(this.seen)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        this.waiters.delete(check);
        clock.clear(timer);
        resolve(ok);
      };
      const check = () => {
        if (predicate(this.seen)) done(true);
      };
      const timer = clock.setTimeout(() => done(predicate(this.seen)), timeoutMs);
      this.waiters.add(check);
    });
  }

  dispose(): void {
    this.onDispose();
    for (const w of this.waiters) w();
  }
}
