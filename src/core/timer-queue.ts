/**
 * A pending timer of the event-driven clock (src/core/event-clock.ts). A `poll` is jumped to only when something
 * happened since it was set (`epoch`: the clock's count of happenings then): else what it looks at is unchanged.
 */
export interface QueuedTimer {
  readonly id: number;
  dueAt: number;
  readonly every: number | undefined;
  readonly fn: () => void;
  readonly poll: boolean;
  readonly epoch: number;
}

interface Entry {
  timer: QueuedTimer;
  /** Order among timers due at the same ms: the one set (or re-armed) first fires first. */
  seq: number;
}

const before = (a: Entry, b: Entry) =>
  a.timer.dueAt < b.timer.dueAt || (a.timer.dueAt === b.timer.dueAt && a.seq < b.seq);

/** A binary min-heap of entries; removed timers are skipped lazily. */
class Heap {
  private readonly items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Entry | undefined {
    return this.items[0];
  }

  /** Every entry, in no particular order. */
  all(): readonly Entry[] {
    return this.items;
  }

  push(entry: Entry): void {
    const a = this.items;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i] as Entry, a[parent] as Entry)) break;
      [a[i], a[parent]] = [a[parent] as Entry, a[i] as Entry];
      i = parent;
    }
  }

  pop(): Entry | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && before(a[l] as Entry, a[m] as Entry)) m = l;
      if (r < a.length && before(a[r] as Entry, a[m] as Entry)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m] as Entry, a[i] as Entry];
      i = m;
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

/**
 * The event-driven clock's pending timers in due order (ties: the one set first), with the earliest timer that
 * is not a poll at hand: that is where the clock may jump.
 */
export class TimerQueue {
  private readonly jumpable = new Heap();
  private readonly polls = new Heap();
  /** Live timers by id, with the entry that is current (an interval re-armed gets a new one). */
  private readonly live = new Map<number, Entry>();
  private seq = 0;

  get size(): number {
    return this.live.size;
  }

  push(timer: QueuedTimer): void {
    const entry = { timer, seq: this.seq++ };
    this.live.set(timer.id, entry);
    (timer.poll ? this.polls : this.jumpable).push(entry);
  }

  /** The earliest timer, poll or not. */
  peek(): QueuedTimer | undefined {
    const a = this.top(this.jumpable);
    const b = this.top(this.polls);
    if (a === undefined || b === undefined) return (a ?? b)?.timer;
    return (before(a, b) ? a : b).timer;
  }

  /**
   * Where the clock may jump: the earliest timer that is not a poll, or an earlier poll set before `epoch` (something
   * happened since: it may see a change).
   */
  peekJumpTarget(epoch: number): QueuedTimer | undefined {
    let target = this.top(this.jumpable);
    for (const entry of this.polls.all()) {
      if (this.live.get(entry.timer.id) !== entry || entry.timer.epoch >= epoch) continue;
      if (target === undefined || before(entry, target)) target = entry;
    }
    return target?.timer;
  }

  /** Removes the earliest timer (peek's) and returns it. */
  pop(): QueuedTimer | undefined {
    const a = this.top(this.jumpable);
    const b = this.top(this.polls);
    if (a === undefined && b === undefined) return undefined;
    const heap = b === undefined || (a !== undefined && before(a, b)) ? this.jumpable : this.polls;
    const entry = heap.pop();
    if (entry) this.live.delete(entry.timer.id);
    return entry?.timer;
  }

  remove(id: number): void {
    this.live.delete(id);
  }

  clear(): void {
    this.live.clear();
    this.jumpable.clear();
    this.polls.clear();
  }

  /** The heap's first live entry (removed or superseded entries are dropped on the way). */
  private top(heap: Heap): Entry | undefined {
    for (;;) {
      const entry = heap.peek();
      if (entry === undefined || this.live.get(entry.timer.id) === entry) return entry;
      heap.pop();
    }
  }
}
