import type { SocketState } from "../core/foreign-sockets.js";

/**
 * The memory the relay thread (src/link/relay-worker.ts) and the thread that started it (src/link/relay-host.ts)
 * share, read and written without waiting for a message:
 *   - counters: the relay thread is busy (a handler running), how many handlers finished (a change stamp), its
 *     timer requests not yet taken up by the host, and the host's timer fires not yet run by the relay thread;
 *   - time bases: per clock the relays run on, a real instant (process.hrtime, one monotonic clock for every
 *     thread), the clock's time then and its scale, so the relay thread reads the host's clock without asking;
 *   - socket slots: each relay socket's counters and flags as last published (src/core/foreign-sockets.ts).
 */
export const MAX_CLOCKS = 256;
export const MAX_SLOTS = 1 << 16;

const BUSY = 0;
const STAMP = 1;
const REQUESTS = 2;
const FIRES = 3;
const COUNTERS = 4;

const SLOT_FIELDS = 4;
const FLAG = {
  readableEnded: 1,
  writableEnded: 2,
  destroyed: 4,
  connecting: 8,
  allowHalfOpen: 16,
  closed: 32,
} as const;

export interface ThreadMemory {
  counters: SharedArrayBuffer;
  /** Int32 per clock: a sequence number, odd while its base is being written. */
  clockSeqs: SharedArrayBuffer;
  clockBases: SharedArrayBuffer;
  slots: SharedArrayBuffer;
}

export function threadMemory(): ThreadMemory {
  return {
    counters: new SharedArrayBuffer(COUNTERS * 4),
    clockSeqs: new SharedArrayBuffer(MAX_CLOCKS * 4),
    clockBases: new SharedArrayBuffer(MAX_CLOCKS * 3 * 8),
    slots: new SharedArrayBuffer(MAX_SLOTS * SLOT_FIELDS * 8),
  };
}

/** Real ms on the one monotonic clock every thread of the process reads alike. */
export function realMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1000 + ns / 1e6;
}

/** Typed views of the shared memory, the same on both sides. */
export class ThreadState {
  private readonly counters: Int32Array;
  private readonly seqs: Int32Array;
  private readonly bases: Float64Array;
  private readonly slots: Float64Array;

  constructor(readonly memory: ThreadMemory) {
    this.counters = new Int32Array(memory.counters);
    this.seqs = new Int32Array(memory.clockSeqs);
    this.bases = new Float64Array(memory.clockBases);
    this.slots = new Float64Array(memory.slots);
  }

  // --- counters
  enter(): void {
    Atomics.add(this.counters, BUSY, 1);
  }
  leave(): void {
    Atomics.add(this.counters, STAMP, 1);
    Atomics.sub(this.counters, BUSY, 1);
    Atomics.notify(this.counters, STAMP);
  }
  requested(): void {
    Atomics.add(this.counters, REQUESTS, 1);
  }
  requestTaken(): void {
    Atomics.sub(this.counters, REQUESTS, 1);
  }
  fired(): void {
    Atomics.add(this.counters, FIRES, 1);
  }
  fireRun(): void {
    Atomics.sub(this.counters, FIRES, 1);
  }
  /**
   * Nothing running or on its way in the relay thread: the change stamp; otherwise whose move it is: "there" (a
   * handler running, a fire not yet run), "here" (a timer request the host has not taken up).
   */
  quietStamp(): number | "there" | "here" {
    const c = this.counters;
    if (Atomics.load(c, REQUESTS) > 0) return "here";
    if (Atomics.load(c, BUSY) > 0 || Atomics.load(c, FIRES) > 0) return "there";
    return Atomics.load(c, STAMP);
  }
  /** Blocks until the relay thread finishes a handler, `ms` at most (the host thread, while it has nothing to do). */
  waitForHandler(ms: number): void {
    Atomics.wait(this.counters, STAMP, Atomics.load(this.counters, STAMP), ms);
  }

  // --- time bases (written by the host, read by the relay thread)
  writeBase(clock: number, real: number, at: number, scale: number): void {
    Atomics.add(this.seqs, clock, 1);
    this.bases[clock * 3] = real;
    this.bases[clock * 3 + 1] = at;
    this.bases[clock * 3 + 2] = scale;
    Atomics.add(this.seqs, clock, 1);
  }
  /** The clock's time now, from its last base. */
  clockNow(clock: number): number {
    for (;;) {
      const seq = Atomics.load(this.seqs, clock);
      const real = this.bases[clock * 3] ?? 0;
      const at = this.bases[clock * 3 + 1] ?? 0;
      const scale = this.bases[clock * 3 + 2] ?? 1;
      if (seq % 2 === 0 && Atomics.load(this.seqs, clock) === seq) return at + (realMs() - real) * scale;
    }
  }

  // --- socket slots (written by the relay thread, read by the host)
  writeSlot(slot: number, s: SocketState): void {
    const i = slot * SLOT_FIELDS;
    let flags = 0;
    if (s.readableEnded) flags |= FLAG.readableEnded;
    if (s.writableEnded) flags |= FLAG.writableEnded;
    if (s.destroyed) flags |= FLAG.destroyed;
    if (s.connecting) flags |= FLAG.connecting;
    if (s.allowHalfOpen) flags |= FLAG.allowHalfOpen;
    if (s.closed) flags |= FLAG.closed;
    this.slots[i] = s.bytesRead;
    this.slots[i + 1] = s.bytesWritten;
    this.slots[i + 2] = s.readableLength;
    this.slots[i + 3] = flags;
  }
  readSlot(slot: number): SocketState {
    const i = slot * SLOT_FIELDS;
    const flags = this.slots[i + 3] ?? 0;
    return {
      bytesRead: this.slots[i] ?? 0,
      bytesWritten: this.slots[i + 1] ?? 0,
      readableLength: this.slots[i + 2] ?? 0,
      readableEnded: (flags & FLAG.readableEnded) !== 0,
      writableEnded: (flags & FLAG.writableEnded) !== 0,
      destroyed: (flags & FLAG.destroyed) !== 0,
      connecting: (flags & FLAG.connecting) !== 0,
      allowHalfOpen: (flags & FLAG.allowHalfOpen) !== 0,
      closed: (flags & FLAG.closed) !== 0,
    };
  }
}
