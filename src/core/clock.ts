import type { IClientOptions } from "mqtt";

/**
 * The one place that touches real time. Broker, fleet, scenarios and probe take a Clock and never read
 * Date.now() or the global timers themselves, so a scenario can run N× faster than real time and a test can
 * drive time by hand.
 *
 * All times are in *clock milliseconds*: for the scaled clock, 1 clock second passes in 1/scale real seconds.
 */
export type TimerHandle = { readonly id: number };

export interface TimerOptions {
  /**
   * The timer only looks (a poll: is the awaited thing there yet?). An event-driven clock (src/core/event-clock.ts)
   * never jumps to a poll: it fires once time reaches it. Other clocks treat it as any timer.
   */
  readonly poll?: boolean;
}

export interface Clock {
  /** Clock milliseconds since the clock was created. */
  now(): number;
  /** Wall-clock epoch milliseconds of `now()` (for timestamps in log lines). */
  wallTime(at?: number): number;
  /** How many clock milliseconds pass per real millisecond (1 = real time). */
  readonly scale: number;
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): TimerHandle;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clear(handle: TimerHandle | undefined): void;
  /** Resolves after `ms` clock milliseconds. */
  sleep(ms: number, options?: TimerOptions): Promise<void>;
  /**
   * For a clock whose time jumps (the event-driven clock): `listener` runs after each jump, before the timer jumped
   * to fires. Between jumps, and on a clock without it, `now()` runs at `scale` with real time — which is what lets
   * another thread follow the clock (the link's relay thread, src/link/relay-host.ts). Returns the unsubscribe.
   */
  onJump?(listener: () => void): () => void;
}

/**
 * The `timerVariant` object MQTT.js accepts: `set` must repeat like setInterval. MQTT.js types it after
 * worker-timers (numeric handles), so the clock's handles travel as their numeric ids.
 */
export type MqttTimerVariant = Exclude<NonNullable<IClientOptions["timerVariant"]>, string>;

export function mqttTimerVariant(clock: Clock): MqttTimerVariant {
  const set = (fn: () => void, ms?: number) => clock.setInterval(fn, ms ?? 0).id;
  const clear = (id?: number) => clock.clear(id === undefined ? undefined : { id });
  return { set, clear } as MqttTimerVariant;
}

type RealTimer = ReturnType<typeof globalThis.setTimeout>;

/**
 * Real time sped up `scale` times (scale 1 = real time).
 *
 * A timer never fires before its due clock time: Node's timers can run up to a millisecond early against
 * performance.now() (libuv measures from its cached loop time), which at 20× is 20 clock ms — enough to make
 * whole-second arithmetic inside a callback (mosquitto's sweep) land in the previous second. So each timer is
 * re-armed for whatever is left until `clock.now()` has reached its due time. Intervals are a chain of such
 * timeouts at fixed due times (start + k·ms), so they do not drift either.
 */
export function scaledClock(scale = 1, options: { unref?: boolean } = {}): Clock {
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new RangeError(`time scale must be a positive number, got ${scale}`);
  const startPerf = performance.now();
  const startWall = Date.now();
  const timers = new Map<number, RealTimer>();
  let nextId = 1;
  const now = () => (performance.now() - startPerf) * scale;
  /** Arms the real timer for `id` so that `fn` runs once the clock reaches `dueAt`. */
  const arm = (id: number, dueAt: number, fn: () => void) => {
    const timer = globalThis.setTimeout(
      () => {
        if (!timers.has(id)) return;
        if (now() < dueAt) {
          arm(id, dueAt, fn);
          return;
        }
        fn();
      },
      Math.max(0, (dueAt - now()) / scale),
    );
    if (options.unref) timer.unref();
    timers.set(id, timer);
  };
  const clock: Clock = {
    scale,
    now,
    wallTime: (at) => startWall + (at ?? now()),
    setTimeout(fn, ms) {
      const id = nextId++;
      arm(id, now() + Math.max(0, ms), () => {
        timers.delete(id);
        fn();
      });
      return { id };
    },
    setInterval(fn, ms) {
      const id = nextId++;
      const every = Math.max(1, ms);
      let dueAt = now() + every;
      const tick = () => {
        dueAt += every;
        arm(id, dueAt, tick);
        fn();
      };
      arm(id, dueAt, tick);
      return { id };
    },
    clear(handle) {
      if (!handle) return;
      const timer = timers.get(handle.id);
      if (timer === undefined) return;
      globalThis.clearTimeout(timer);
      timers.delete(handle.id);
    },
    sleep: (ms) => new Promise((resolve) => clock.setTimeout(resolve, ms)),
  };
  return clock;
}

export function realClock(): Clock {
  return scaledClock(1);
}

/**
 * A clock that only moves when told to: for unit tests of timer logic. `advance(ms)` runs every timer due
 * within the step in time order.
 */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  advanceTo(at: number): void;
  pending(): number;
}

export function manualClock(startWall = 0): ManualClock {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; every?: number; fn: () => void }>();
  const add = (fn: () => void, ms: number, every?: number): TimerHandle => {
    const id = nextId++;
    timers.set(id, { at: now + Math.max(0, ms), every, fn });
    return { id };
  };
  const clock: ManualClock = {
    scale: 1,
    now: () => now,
    wallTime: (at) => startWall + (at ?? now),
    setTimeout: (fn, ms) => add(fn, ms),
    setInterval: (fn, ms) => add(fn, ms, Math.max(1, ms)),
    clear(handle) {
      if (handle) timers.delete(handle.id);
    },
    sleep: (ms) => new Promise((resolve) => add(resolve, ms)),
    advanceTo(at) {
      for (;;) {
        let dueId: number | undefined;
        let dueAt = Number.POSITIVE_INFINITY;
        for (const [id, t] of timers) {
          if (t.at <= at && t.at < dueAt) {
            dueAt = t.at;
            dueId = id;
          }
        }
        if (dueId === undefined) break;
        const timer = timers.get(dueId);
        if (!timer) break;
        now = Math.max(now, timer.at);
        if (timer.every !== undefined) timer.at += timer.every;
        else timers.delete(dueId);
        timer.fn();
      }
      now = Math.max(now, at);
    },
    advance(ms) {
      clock.advanceTo(now + ms);
    },
    pending: () => timers.size,
  };
  return clock;
}
