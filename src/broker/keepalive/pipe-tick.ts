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
 * What lets the timer leave out a duty's idle ticks. A duty added without one may act at every tick, and the timer
 * fires at every tick while it is there (live); with one, the timer is armed straight for the first tick at which
 * some duty may act: the ticks before it do nothing but n += 1, which is counted for them, and `skipped` is told of
 * each after the fact. The schedule is the same (tick k still at tickAt(k)); only the idle firings go.
 */
export interface QuietDuty {
  /**
   * Given `counter`, the n this duty would see at the next tick, the n it sees at the first tick at which it may
   * act while no packet comes in and nothing calls wake(): `counter` itself (the next tick may), more, or Infinity
   * (only a wake() can make it act).
   */
  actsAt(counter: number): number;
  /** Each tick left out as idle, in order, once its time has passed (for what the duty traces). */
  skipped?: PipeTickDuty;
}

/**
 * NanoMQ's ONE timer per pipe: the keepalive kick, the re-send of cached QoS messages (Receive Maximum and session
 * resume) and the end of a kept session with its will all run on its ticks. Tick k fires at `tickAt(k)` (computed
 * from the CONNECT time, so a late timer never shifts the schedule; a simulated tick fault moves every duty alike).
 * A tick that has not fired yet is the one a new duty sees first.
 *
 * A tick at which no duty does anything but n += 1 (a silent client far from its kick, nothing to re-send) is not
 * fired at all (QuietDuty): on the event-driven clock (src/core/event-clock.ts) each firing is a jump of its own,
 * and a silent client at keepalive 3600 s had ~540 of them before its kick. Such a tick is run after the fact,
 * exactly as it would have run (n += 1, its trace at its own time), when the next fired tick, a packet, a duty
 * added or removed, the close or a wake() comes; so the kick, the re-sends and the counter are the same as when
 * every tick fires (test/unit/broker/pipe-tick.test.ts).
 */
export interface PipeTick {
  /** n after the last tick (0 after an inbound packet). */
  readonly counter: number;
  /** Clock ms of the next tick, or undefined once the timer has stopped. */
  nextAt(): number | undefined;
  /** An inbound packet: n = 0 (nano_pipe_recv_cb), after any tick whose time has come. */
  touch(): void;
  /** Adds a duty to a phase; returns its removal. */
  on(phase: PipeTickPhase, duty: PipeTickDuty, quiet?: QuietDuty): () => void;
  /**
   * Something a quiet duty waits on has come (a message to re-send): the timer fires again from the next tick whose
   * time has not passed, as the duties' QuietDuty say now.
   */
  wake(): void;
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
  const { tickAt } = options;
  const duties: Record<PipeTickPhase, Map<PipeTickDuty, QuietDuty | undefined>> = {
    check: new Map(),
    resend: new Map(),
    cached: new Map(),
  };
  let counter = 0;
  let live = true;
  let stopped = false;
  /** Inside a tick's duties: the tick re-arms the timer when they are done. */
  let ticking = false;
  /** The next tick to run: the ones before it have run (fired, or left out as idle and counted). */
  let k = 0;
  /** The tick the timer is armed for (k, or later when the ones between are idle); Infinity while none is. */
  let armedFor = Number.POSITIVE_INFINITY;
  let timer: TimerHandle | undefined;

  const run = (phase: PipeTickPhase, at: number) => {
    for (const duty of [...duties[phase].keys()]) if (duties[phase].has(duty)) duty({ at, counter });
  };
  // (no copy of the map per idle tick: a Map's iteration skips what is deleted meanwhile)
  const runSkipped = (phase: PipeTickPhase, at: number) => {
    for (const quiet of duties[phase].values()) quiet?.skipped?.({ at, counter });
  };
  /** Tick k, left out as idle (only ever while live), run after the fact: n += 1, and what its duties trace. */
  const runIdle = () => {
    const at = tickAt(k);
    k += 1;
    runSkipped("check", at);
    counter += 1;
    runSkipped("resend", at);
  };
  /** Runs the idle ticks left out whose time has passed (`inclusive`: one due right now too). */
  const catchUp = (inclusive: boolean) => {
    if (stopped || ticking) return;
    const now = clock.now();
    while (k < armedFor && (inclusive ? tickAt(k) <= now : tickAt(k) < now)) runIdle();
  };
  /** How many ticks from k on no duty acts at (0: the next one may do something; Infinity: none will). */
  const idleTicks = (): number => {
    if (!live) return 0;
    let idle = Number.POSITIVE_INFINITY;
    // the check sees n before the tick's n += 1, the re-send after it
    for (const [phase, seen] of [
      ["check", counter],
      ["resend", counter + 1],
    ] as const) {
      for (const quiet of duties[phase].values()) {
        if (quiet === undefined) return 0;
        idle = Math.min(idle, Math.max(0, quiet.actsAt(seen) - seen));
      }
    }
    return idle;
  };
  /** Arms the timer for the first tick from k on at which some duty may act (unchanged if it already is). */
  const arm = () => {
    const target = k + idleTicks();
    if (target === armedFor && timer !== undefined) return;
    clock.clear(timer);
    timer = undefined;
    armedFor = target;
    if (!Number.isFinite(target)) return;
    timer = clock.setTimeout(tick, Math.max(0, tickAt(target) - clock.now()));
  };
  const stop = () => {
    catchUp(false);
    stopped = true;
    clock.clear(timer);
    timer = undefined;
    armedFor = k;
    for (const set of Object.values(duties)) set.clear();
  };
  const tick = () => {
    clock.clear(timer);
    timer = undefined;
    if (stopped) return;
    while (k < armedFor) runIdle(); // the idle ticks before this one
    const at = clock.now();
    k += 1;
    ticking = true;
    if (live) {
      run("check", at);
      if (!live) {
        // kicked by this tick's check (the connection closed inside it)
        ticking = false;
        if (options.stopsAtKick || duties.cached.size === 0) stop();
        else arm();
        return;
      }
      counter += 1;
      run("resend", at);
    } else {
      counter += 1;
      run("cached", at);
      if (duties.cached.size === 0) {
        ticking = false;
        stop();
        return;
      }
    }
    ticking = false;
    if (!stopped) arm();
  };
  const wake = () => {
    if (stopped || ticking) return; // a tick re-arms the timer after its duties
    catchUp(false);
    arm();
  };

  return {
    get counter() {
      // idle ticks left out whose time has come count as run
      let n = counter;
      for (let j = k; !stopped && j < armedFor && tickAt(j) <= clock.now(); j++) n += 1;
      return n;
    },
    nextAt() {
      if (stopped) return undefined;
      let j = k;
      while (j < armedFor && tickAt(j) <= clock.now()) j += 1;
      return tickAt(j);
    },
    touch() {
      // A packet read once a tick's time has come, before its timer ran (a late timer: a held event loop), came
      // after that tick: the tick goes first, then n = 0. Counted the other way round, the tick would count
      // against the fresh packet, and a client whose packets come just after the ticks (MQTT-C pinging on whole
      // seconds) would be kicked a tick early, as the real broker never does (test/unit/broker/pipe-tick.test.ts).
      for (;;) {
        catchUp(true);
        if (stopped || timer === undefined || k !== armedFor || tickAt(k) > clock.now()) break;
        tick();
      }
      counter = 0;
      // n = 0 only puts the duties' next act off (the kick); the timer stays armed unless one may act sooner
      if (!stopped && !ticking && k + idleTicks() < armedFor) arm();
    },
    on(phase, duty, quiet) {
      if (stopped) return () => {};
      catchUp(false); // the idle ticks before it ran without it
      duties[phase].set(duty, quiet);
      if (!ticking) arm();
      return () => {
        catchUp(false); // its idle ticks up to now are told before it goes
        duties[phase].delete(duty);
        if (!live && duties.cached.size === 0) stop();
      };
    },
    wake,
    endLive() {
      if (!live) return;
      catchUp(false);
      live = false;
      duties.check.clear();
      duties.resend.clear();
      // inside a tick's check (a kick), the tick itself decides whether to run on
      if (ticking || stopped) return;
      if (duties.cached.size === 0) stop();
      else arm();
    },
    stop,
  };
}
