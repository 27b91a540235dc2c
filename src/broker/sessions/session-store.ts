import type { IConnectPacket } from "mqtt-packet";
import type { Clock, TimerHandle } from "../../core/clock.js";
import type { SubscriptionTable } from "../subscriptions.js";
import { NEVER_EXPIRES_S, Session } from "./session.js";

/** Real timers take at most 2^31 - 1 ms (~24.8 days); a longer expiry is not timed (the broker will not live so long). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Every session by client id, attached to a connection or waiting for its client (and its expiry). */
export class SessionStore {
  private readonly byClient = new Map<string, Session>();
  /** (5.0) wills waiting out their Will Delay Interval, by client id (src/broker/will-delay.ts). */
  readonly pendingWills = new Map<
    string,
    { timer: TimerHandle; will: NonNullable<IConnectPacket["will"]> }
  >();

  constructor(
    private readonly clock: Clock,
    private readonly subscriptions: SubscriptionTable,
  ) {}

  get(clientId: string): Session | undefined {
    return this.byClient.get(clientId);
  }

  get size(): number {
    return this.byClient.size;
  }

  /**
   * At CONNECT: a clean start discards any existing session [MQTT-3.1.2-6] (3.1.1) / [MQTT-3.1.2-4] (5.0); otherwise
   * the existing one is resumed [MQTT-3.1.2-4] (3.1.1) / [MQTT-3.1.2-5] (5.0). `present` is what CONNACK says:
   * [MQTT-3.2.2-1..3] (3.1.1) / §3.2.2.1.1 (5.0).
   */
  open(clientId: string, cleanStart: boolean, expiryS: number): { session: Session; present: boolean } {
    const existing = this.byClient.get(clientId);
    if (existing && !cleanStart) {
      existing.stopEnding?.();
      existing.stopEnding = undefined;
      existing.expiryS = expiryS;
      return { session: existing, present: true };
    }
    if (existing) this.end(existing);
    const session = new Session(clientId, expiryS);
    this.byClient.set(clientId, session);
    return { session, present: false };
  }

  /** Its connection closed: the session ends now (expiry 0), later on the clock, or never [MQTT-3.1.2-23] (5.0). */
  detach(session: Session): void {
    if (this.byClient.get(session.clientId) !== session) return;
    if (session.expiryS === 0) {
      this.end(session);
      return;
    }
    if (session.expiryS === NEVER_EXPIRES_S || session.expiryS * 1000 > MAX_TIMER_MS) return;
    session.stopEnding?.();
    const timer = this.clock.setTimeout(() => this.end(session), session.expiryS * 1000);
    session.stopEnding = () => this.clock.clear(timer);
  }

  /**
   * Its connection closed and something else decides when it ends (NanoMQ's kept pipe, ./cached-session.ts, calls
   * end()): kept until then. `stop` cancels that on a resume, a clean start or the broker's close.
   */
  keep(session: Session, stop: () => void): void {
    if (this.byClient.get(session.clientId) !== session) {
      stop();
      return;
    }
    session.stopEnding?.();
    session.stopEnding = stop;
  }

  /** Discards a session and its subscriptions. */
  end(session: Session): void {
    session.stopEnding?.();
    session.stopEnding = undefined;
    if (this.byClient.get(session.clientId) !== session) return;
    this.byClient.delete(session.clientId);
    this.subscriptions.removeClient(session.clientId);
  }

  /** Broker shutdown: nothing that would end a session outlives the broker. */
  close(): void {
    for (const session of this.byClient.values()) session.stopEnding?.();
    for (const pending of this.pendingWills.values()) this.clock.clear(pending.timer);
  }
}
