import type { Clock, TimerHandle } from "../core/clock.js";
import type { ClockInfo, FromRelayThread } from "./thread-messages.js";
import type { ThreadState } from "./thread-state.js";

/**
 * The relay thread's view of a clock of the host's: `now()` from the clock's shared time base, which the host
 * rewrites at each jump. On a clock that jumps each timer is set on the host's clock itself (so an event-driven
 * clock jumps to it as to its own) and run here when the host says it fired; on one that does not (a scaled
 * clock), here, on a real timer re-armed until the clock reaches its due time (never early, as scaledClock).
 */
export class ThreadTimers {
  private readonly pending = new Map<number, () => void>();
  private readonly local = new Map<number, ReturnType<typeof setTimeout>>();
  private nextId = 1;

  constructor(
    private readonly state: ThreadState,
    private readonly post: (m: FromRelayThread) => void,
    /** Runs a local timer as one handler of the thread's (socket-publisher.ts). */
    private readonly guard: (fn: () => void) => void,
  ) {}

  clock(info: ClockInfo): Clock {
    const now = () => this.state.clockNow(info.index);
    const clock: Clock = {
      scale: info.scale,
      now,
      wallTime: (at) => info.wallAtZero + (at ?? now()),
      setTimeout: (fn, ms) => {
        const id = this.nextId++;
        this.set(id, info, now, now() + Math.max(0, ms), fn);
        return { id };
      },
      setInterval: (fn, ms) => {
        const every = Math.max(1, ms);
        const id = this.nextId++;
        let dueAt = now() + every;
        const tick = () => {
          dueAt += every;
          this.set(id, info, now, dueAt, tick);
          fn();
        };
        this.set(id, info, now, dueAt, tick);
        return { id };
      },
      clear: (handle) => this.clear(handle),
      sleep: (ms) => new Promise((resolve) => clock.setTimeout(resolve, ms)),
    };
    return clock;
  }

  /** Timer `id` fired (the host said so, or its local timer): run it, unless it was cleared meanwhile. */
  fire(id: number): void {
    const fn = this.pending.get(id);
    this.pending.delete(id);
    this.local.delete(id);
    fn?.();
  }

  private set(id: number, info: ClockInfo, now: () => number, dueAt: number, fn: () => void): void {
    this.pending.set(id, fn);
    if (info.jumps) {
      this.state.requested();
      this.post({ op: "timer", timer: id, clock: info.index, dueAt });
      return;
    }
    const arm = () => {
      const timer = setTimeout(
        () => {
          if (!this.pending.has(id)) return;
          if (now() < dueAt) arm();
          else this.guard(() => this.fire(id));
        },
        Math.max(0, (dueAt - now()) / info.scale),
      );
      this.local.set(id, timer);
    };
    arm();
  }

  private clear(handle: TimerHandle | undefined): void {
    if (!handle || !this.pending.delete(handle.id)) return;
    const local = this.local.get(handle.id);
    if (local === undefined) this.post({ op: "clear", timer: handle.id });
    else {
      clearTimeout(local);
      this.local.delete(handle.id);
    }
  }
}
