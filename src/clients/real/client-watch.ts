import type { Broker, CloseCause, TraceEvent } from "../../broker/index.js";
import type { Clock } from "../../core/clock.js";

/** What the broker saw of one client id, on the clock: its CONNECT, its PINGREQs' arrivals, its connection's end. */
export interface ClientSeen {
  connectAt: number | null;
  pingreqAt: number[];
  closedAt: number | null;
  closeCause: CloseCause | null;
}

/** Follows one client id in the broker's trace until disposed; `until` waits for a condition on what was seen. */
export class ClientWatch {
  readonly seen: ClientSeen = { connectAt: null, pingreqAt: [], closedAt: null, closeCause: null };
  private readonly waiters = new Set<() => void>();
  private readonly listener = (e: TraceEvent) => this.onTrace(e);

  constructor(
    private readonly broker: Broker,
    private readonly clientId: string,
  ) {
    broker.on("trace", this.listener);
  }

  private onTrace(e: TraceEvent): void {
    if (e.clientId !== this.clientId) return;
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
    this.broker.off("trace", this.listener);
    for (const w of this.waiters) w();
  }
}
