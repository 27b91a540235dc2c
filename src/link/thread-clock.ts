import type { Clock, TimerHandle } from "../core/clock.js";
import type { FromRelayThread } from "./thread-messages.js";
import type { ThreadState } from "./thread-state.js";

/**
 * The relay thread's view of a clock of the host's (relay-host.ts): `now()` from the clock's shared time base,
 * which the host rewrites at each jump; each timer is set on the host's clock itself (so an event-driven clock
 * jumps to it as to its own) and run here when the host says it fired.
 */
export class ThreadTimers {
  private readonly pending = new Map<number, () => void>();
  private nextId = 1;

  constructor(
    private readonly state: ThreadState,
    private readonly post: (m: FromRelayThread) => void,
  ) {}

  clock(index: number, scale: number, wallAtZero: number): Clock {
    const now = () => this.state.clockNow(index);
    const clock: Clock = {
      scale,
      now,
      wallTime: (at) => wallAtZero + (at ?? now()),
      setTimeout: (fn, ms) => this.set(index, now() + Math.max(0, ms), fn),
      setInterval: (fn, ms) => {
        const every = Math.max(1, ms);
        const id = this.nextId++;
        let dueAt = now() + every;
        const tick = () => {
          dueAt += every;
          this.setWithId(id, index, dueAt, tick);
          fn();
        };
        this.setWithId(id, index, dueAt, tick);
        return { id };
      },
      clear: (handle) => this.clear(handle),
      sleep: (ms) => new Promise((resolve) => clock.setTimeout(resolve, ms)),
    };
    return clock;
  }

  /** The host says timer `id` fired: run it (unless it was cleared meanwhile). */
  fire(id: number): void {
    const fn = this.pending.get(id);
    this.pending.delete(id);
    fn?.();
  }

  private set(clock: number, dueAt: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    this.setWithId(id, clock, dueAt, fn);
    return { id };
  }

  private setWithId(id: number, clock: number, dueAt: number, fn: () => void): void {
    this.pending.set(id, fn);
    this.state.requested();
    this.post({ op: "timer", timer: id, clock, dueAt });
  }

  private clear(handle: TimerHandle | undefined): void {
    if (!handle || !this.pending.delete(handle.id)) return;
    this.post({ op: "clear", timer: handle.id });
  }
}
