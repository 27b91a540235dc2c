import type { Clock, TimerHandle, TimerOptions } from "./clock.js";
import { TimerQueue } from "./timer-queue.js";

/**
 * What an event-driven clock needs to know of the world outside its timers: whether anything is on its way that
 * would happen without a timer (bytes, connects or closes in flight: src/core/in-flight.ts).
 */
export interface Quiescence {
  /** True while nothing is in flight: time may jump to the next timer. */
  idle(): boolean;
  /** A number that changes whenever something moved (bytes read or written, sockets opened or gone). */
  activity(): number;
}

export interface EventClockOptions {
  quiescence: Quiescence;
  /** Real milliseconds (default performance.now): tests may drive it. */
  realNow?: () => number;
  /** The real timers do not keep the process alive. */
  unref?: boolean;
}

export interface EventClockStats {
  /** How many times the clock jumped, and the clock ms it skipped in all. */
  jumps: number;
  skippedMs: number;
}

/**
 * A clock that runs at real speed while anything is happening and jumps to its next timer while nothing is:
 * whenever the world is quiescent (no bytes, connects or closes in flight, no timer firing) for a few turns of the
 * event loop, `now()` moves forward to the earliest pending timer, which then fires at exactly its due time. A
 * timer fires at the clock time it would fire at in a real-time run; what happens between timers (handshakes,
 * packets, the broker's answers) takes its real time. `scale` is 1: that is the rate between jumps.
 */
export interface EventClock extends Clock {
  stats(): EventClockStats;
  /**
   * Keeps time from jumping until the returned function is called: for work the clock cannot see (a child process
   * starting, a file being read). Calling the release twice is harmless.
   */
  hold(): () => void;
  /** Clears every timer and stops jumping; `now()` keeps running at real speed. */
  stop(): void;
  /** `listener` runs after each jump, before the timer jumped to fires (Clock.onJump). */
  onJump(listener: () => void): () => void;
}

/** Real ms between checks while something is in flight, at most (the first few checks are immediate). */
const MAX_BUSY_WAIT_MS = 4;
const IMMEDIATE_RETRIES = 4;

/** setImmediate callbacks the event clocks of this process have pending (theirs, not work handed on by others). */
let ownImmediates = 0;
function immediate(fn: () => void): void {
  ownImmediates++;
  setImmediate(() => {
    ownImmediates--;
    fn();
  });
}
/**
 * Work handed on to the next turn of the event loop (a library's setImmediate: MQTT.js's end() writes its FIN so),
 * besides the clocks' own: time must not jump before it has run. Microtasks and nextTicks have run by then.
 */
function othersImmediates(): number {
  let n = 0;
  for (const r of process.getActiveResourcesInfo()) if (r === "Immediate") n++;
  return n - ownImmediates;
}

export function eventClock(options: EventClockOptions): EventClock {
  const realNow = options.realNow ?? (() => performance.now());
  const startReal = realNow();
  const startWall = Date.now();
  const queue = new TimerQueue();
  let offset = 0;
  let nextId = 1;
  let stopped = false;
  let holds = 0;
  let jumps = 0;
  let skippedMs = 0;
  /** The real timer armed for the earliest timer, and the due time it is armed for. */
  let wake: ReturnType<typeof globalThis.setTimeout> | undefined;
  let wakeAt = Number.POSITIVE_INFINITY;
  let firing = false;
  let checkPending = false;
  let busyRetries = 0;
  let lastActivity = Number.NaN;
  /** Happenings so far: timers other than polls fired, and changes the quiescence checks saw. */
  let epoch = 0;
  const jumpListeners = new Set<() => void>();

  const now = () => realNow() - startReal + offset;

  const unref = <T extends { unref(): unknown }>(t: T): T => {
    if (options.unref) t.unref();
    return t;
  };

  /**
   * Arms the real timer for the earliest timer, unless it already is: time runs at real speed. Only a check that
   * does not jump arms it (while the world is quiet, the next jump fires the timer); one armed before a jump is
   * late for the clock then, and harmless: a timer never fires before its due time.
   */
  const armWake = () => {
    const first = queue.peek();
    const at = first?.dueAt ?? Number.POSITIVE_INFINITY;
    if (at === wakeAt && wake !== undefined) return;
    if (wake !== undefined) globalThis.clearTimeout(wake);
    wake = undefined;
    wakeAt = at;
    if (first === undefined || stopped) return;
    wake = unref(
      globalThis.setTimeout(
        () => {
          wake = undefined;
          wakeAt = Number.POSITIVE_INFINITY;
          fireDue();
        },
        Math.max(0, at - now()),
      ),
    );
  };

  /**
   * Fires the timers due by now, one per turn of the event loop (as Node runs its own timers, microtasks between);
   * the turn after the last one checks at once whether to jump again.
   */
  const fireDue = () => {
    if (firing) return;
    firing = true;
    fireStep();
  };
  const fireStep = () => {
    const due = stopped ? undefined : queue.peek();
    if (due === undefined || due.dueAt > now()) {
      firing = false;
      if (!stopped) check();
      return;
    }
    queue.pop();
    if (due.every !== undefined) {
      due.dueAt += due.every;
      queue.push(due);
    }
    if (!due.poll) epoch++;
    immediate(fireStep);
    due.fn();
  };

  const scheduleCheck = (delayMs = 0) => {
    if (checkPending || stopped) return;
    checkPending = true;
    if (delayMs === 0) immediate(check);
    else unref(globalThis.setTimeout(check, delayMs));
  };

  /**
   * Jumps to the next timer once the world is quiescent: nothing in flight, nothing moved since the last look (a
   * turn of the event loop ago, or the last jump), no work handed on to the next turn.
   */
  const check = () => {
    checkPending = false;
    if (stopped || firing) return;
    const next = queue.peekJumpTarget(epoch);
    if (next !== undefined && next.dueAt <= now()) return fireDue();
    armWake();
    if (next === undefined) return; // nothing to jump to: setting a timer checks again
    if (holds > 0 || !options.quiescence.idle()) {
      busyRetries++;
      const wait =
        busyRetries <= IMMEDIATE_RETRIES ? 0 : Math.min(MAX_BUSY_WAIT_MS, busyRetries - IMMEDIATE_RETRIES);
      return scheduleCheck(wait);
    }
    busyRetries = 0;
    const activity = options.quiescence.activity();
    const moved = activity !== lastActivity;
    // the first look sets the baseline; later changes are happenings a poll may see
    if (moved && !Number.isNaN(lastActivity)) epoch++;
    lastActivity = activity;
    if (moved || othersImmediates() > 0) return scheduleCheck();
    if (wake !== undefined) globalThis.clearTimeout(wake);
    wake = undefined;
    wakeAt = Number.POSITIVE_INFINITY;
    const skip = next.dueAt - now();
    jumps++;
    skippedMs += skip;
    offset += skip;
    for (const listener of jumpListeners) listener();
    fireDue();
  };

  const add = (fn: () => void, ms: number, every: number | undefined, timerOptions?: TimerOptions) => {
    const id = nextId++;
    if (stopped) return { id };
    queue.push({ id, dueAt: now() + Math.max(0, ms), every, fn, poll: timerOptions?.poll === true, epoch });
    if (!firing) scheduleCheck();
    return { id };
  };

  const clock: EventClock = {
    scale: 1,
    now,
    wallTime: (at) => startWall + (at ?? now()),
    setTimeout: (fn, ms, timerOptions) => add(fn, ms, undefined, timerOptions),
    setInterval: (fn, ms) => add(fn, Math.max(1, ms), Math.max(1, ms)),
    clear(handle: TimerHandle | undefined) {
      if (!handle) return;
      queue.remove(handle.id);
    },
    sleep: (ms, timerOptions) => new Promise((resolve) => clock.setTimeout(resolve, ms, timerOptions)),
    stats: () => ({ jumps, skippedMs }),
    onJump(listener) {
      jumpListeners.add(listener);
      return () => jumpListeners.delete(listener);
    },
    hold() {
      holds++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds--;
        scheduleCheck();
      };
    },
    stop() {
      stopped = true;
      queue.clear();
      if (wake !== undefined) globalThis.clearTimeout(wake);
      wake = undefined;
    },
  };
  return clock;
}
