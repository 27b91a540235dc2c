import type { Clock, TimerHandle } from "../../core/clock.js";

/** What a duty sees of one tick. */
export interface PipeTickEvent {
  /** Clock ms the tick fired. */
  at: number;
  /** n, NanoMQ's `ka_refresh`: the ticks since the last inbound packet, as this duty's phase sees it. */
  counter: number;
}

/**
 * The duties of a tick, run in this order (nng nmq_mqtt.c, nano_pipe_timer_cb; docs/nanomq-fidelity.md, "One tick
 * per pipe"): while the connection is live, "check" (the keepalive check, which may kick), then n += 1, then "resend"
 * (one message from the session cache); once it is gone and its session kept ("cached"), n += 1, then "cached"
 * (whether the kept session ends now, and its will goes).
 */
export type PipeTickPhase = "check" | "resend" | "cached";

export type PipeTickDuty = (tick: PipeTickEvent) => void;

/**
 * NanoMQ's ONE timer per pipe: the keepalive kick, the re-send of cached QoS messages (Receive Maximum and session
 * resume) and the end of a kept session with its will all run on its ticks. Tick k fires at `tickAt(k)` (computed
 * from the CONNECT time, so a late timer never shifts the schedule; a simulated tick fault moves every duty alike).
 * A tick that has not fired yet is the one a new duty sees first.
 */
export interface PipeTick {
  /** n after the last tick (0 after an inbound packet). */
  readonly counter: number;
  /** Clock ms of the next tick, or undefined once the timer has stopped. */
  nextAt(): number | undefined;
  /** An inbound packet: n = 0 (nano_pipe_recv_cb), after any tick whose time has come. */
  touch(): void;
  /** Adds a duty to a phase; returns its removal. */
  on(phase: PipeTickPhase, duty: PipeTickDuty): () => void;
  /**
   * The connection closed: the live duties are dropped; the timer runs on while "cached" duties remain (add them
   * before this call), and stops when none is left.
   */
  endLive(): void;
  stop(): void;
}

export interface PipeTickOptions {
  /** Clock ms of tick k (k = 0, 1, …). */
  tickAt: (k: number) => number;
  /**
   * Whether the timer stops at a keepalive kick (0.25.3: the kick returns without re-arming it, so a kicked pipe's
   * kept session never ends on a tick and its will never goes) or runs on for the cached duties (0.21.9).
   */
  stopsAtKick: boolean;
}

export function createPipeTick(clock: Clock, options: PipeTickOptions): PipeTick {
  const duties: Record<PipeTickPhase, Set<PipeTickDuty>> = {
    check: new Set(),
    resend: new Set(),
    cached: new Set(),
  };
  let counter = 0;
  let live = true;
  let stopped = false;
  let k = 0;
  let timer: TimerHandle | undefined;

  const run = (phase: PipeTickPhase, at: number) => {
    for (const duty of [...duties[phase]]) if (duties[phase].has(duty)) duty({ at, counter });
  };
  const schedule = () => {
    timer = clock.setTimeout(tick, Math.max(0, options.tickAt(k) - clock.now()));
  };
  const stop = () => {
    stopped = true;
    clock.clear(timer);
    timer = undefined;
    for (const set of Object.values(duties)) set.clear();
  };
  const tick = () => {
    clock.clear(timer);
    timer = undefined;
    if (stopped) return;
    const at = clock.now();
    k += 1;
    if (live) {
      run("check", at);
      if (!live) {
        // kicked by this tick's check (the connection closed inside it)
        if (options.stopsAtKick || duties.cached.size === 0) stop();
        else schedule();
        return;
      }
      counter += 1;
      run("resend", at);
    } else {
      counter += 1;
      run("cached", at);
      if (duties.cached.size === 0) {
        stop();
        return;
      }
    }
    if (!stopped) schedule();
  };
  schedule();

  return {
    get counter() {
      return counter;
    },
    nextAt: () => (stopped ? undefined : options.tickAt(k)),
    touch() {
      // A packet read once a tick's time has come, before its timer ran (a late timer: a held event loop), came
      // after that tick: the tick goes first, then n = 0. Counted the other way round, the tick would count
      // against the fresh packet, and a client whose packets come just after the ticks (MQTT-C pinging on whole
      // seconds) would be kicked a tick early, as the real broker never does (test/unit/broker/pipe-tick.test.ts).
      while (timer !== undefined && !stopped && options.tickAt(k) <= clock.now()) tick();
      counter = 0;
    },
    on(phase, duty) {
      if (stopped) return () => {};
      duties[phase].add(duty);
      return () => {
        duties[phase].delete(duty);
        if (!live && duties.cached.size === 0) stop();
      };
    },
    endLive() {
      if (!live) return;
      live = false;
      duties.check.clear();
      duties.resend.clear();
      // inside a tick's check (a kick), the tick itself decides whether to run on
      if (duties.cached.size === 0 && timer !== undefined) stop();
    },
    stop,
  };
}
