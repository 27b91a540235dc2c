import type { ProfileOptions } from "../../core/profile.js";
import type { PipeTick } from "./pipe-tick.js";

/**
 * A keepalive model decides when a silent client is kicked. The broker creates one per broker instance
 * (`createKeepaliveModel(clock, options)`), calls `watch()` once per connection right after its CONNECT is
 * accepted, `touch()` on every inbound packet after that, and `stop()` when the connection closes for any reason.
 * Only *inbound* packets count, in every model.
 */
export interface KeepaliveModel {
  readonly name: ProfileOptions["profile"];
  /**
   * Optional: the profile's one timer per connection (NanoMQ's pipe timer, ./pipe-tick.ts), opened at CONNECT; the
   * keepalive check, the session-cache re-sends and the end of a kept session all follow its ticks.
   */
  openPipeTick?(): PipeTick;
  /** `pipeTick`: the connection's own timer, where the model has one (else it opens one for this watch alone). */
  watch(keepaliveMs: number, events: KeepaliveEvents, pipeTick?: PipeTick): KeepaliveWatch;
  /**
   * Optional: starts broker-wide timers now (mosquitto's sweep runs at broker start, as measured on 2.0.11);
   * without it they start at the first watch(). Call when the broker starts listening.
   */
  start?(): void;
  /** Stops broker-wide timers (mosquitto's sweep). */
  close(): void;
}

export interface KeepaliveWatch {
  /** An inbound packet arrived now. */
  touch(): void;
  stop(): void;
}

export interface KeepaliveEvents {
  /** The model kicks the client now. Called at most once; the watch is stopped after it. */
  onKick(info: KickInfo): void;
  /** Optional: each evaluation of this client (a NanoMQ tick, a mosquitto sweep), for timelines. */
  onTick?(info: TickInfo): void;
}

export interface KickInfo {
  /** Clock ms of the kick. */
  at: number;
  /** Clock ms of the last inbound packet (CONNECT if none since). */
  lastInboundAt: number;
  /** The limit the model compared against, in ms (KA·M for NanoMQ, 1.5·KA for spec and mosquitto). */
  limitMs: number;
}

export interface TickInfo {
  at: number;
  /** NanoMQ's idle-tick counter n after this tick; undefined for other models. */
  counter?: number;
  kicked: boolean;
}
