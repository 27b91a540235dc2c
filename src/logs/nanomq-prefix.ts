import type { LogTime } from "./timestamp.js";

/** What one read() found: the line's stamp as two numbers, its thread, its level. */
export interface PrefixFields {
  /** YYYYmmdd and HHMMSS of the stamp. */
  date: number;
  clock: number;
  /** The thread's digits as a number and their count (value · 32 + count), and where its `]` is. */
  threadKey: number;
  threadEnd: number;
  /** Where the level starts. */
  level: number;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;

/**
 * A NanoMQ line's prefix read from its bytes (`YYYY-mm-dd HH:MM:SS [tid] LEVEL `, as parsePrefix's NANOMQ pattern
 * reads it), in one pass that also keeps the stamp and the thread as numbers; time() and thread() turn them into the
 * LogTime and text the classifier takes, made once per second and once per thread.
 */
export class NanomqPrefix {
  /** The fields of the last line read() accepted. */
  readonly last: PrefixFields = { date: 0, clock: 0, threadKey: 0, threadEnd: 0, level: 0 };
  private timeDate = -1;
  private timeClock = -1;
  private timeValue: LogTime = { ms: 0, zoned: false };
  private readonly threads = new Map<number, string>();

  /** Where the message of buf[ls, le) starts when it is a NanoMQ line (its fields into `last`), else -1. */
  read(buf: Uint8Array, ls: number, le: number): number {
    if (le - ls < 25) return -1;
    let date = 0;
    for (let i = ls; i < ls + 10; i++) {
      const c = buf[i] as number;
      if (i === ls + 4 || i === ls + 7) {
        if (c !== 45) return -1;
      } else if (isDigit(c)) date = date * 10 + c - 48;
      else return -1;
    }
    if (buf[ls + 10] !== 32) return -1;
    let clock = 0;
    for (let i = ls + 11; i < ls + 19; i++) {
      const c = buf[i] as number;
      if (i === ls + 13 || i === ls + 16) {
        if (c !== 58) return -1;
      } else if (isDigit(c)) clock = clock * 10 + c - 48;
      else return -1;
    }
    if (buf[ls + 19] !== 32 || buf[ls + 20] !== 91) return -1;
    let i = ls + 21;
    let thread = 0;
    while (i < le && isDigit(buf[i] as number)) thread = thread * 10 + (buf[i++] as number) - 48;
    if (i === ls + 21 || i + 2 >= le || buf[i] !== 93 || buf[i + 1] !== 32) return -1;
    const threadEnd = i;
    i += 2;
    const level = i;
    while (i < le && isUpper(buf[i] as number)) i++;
    if (i === level) return -1;
    while (i < le && buf[i] === 32) i++;
    const last = this.last;
    last.date = date;
    last.clock = clock;
    last.threadKey = thread * 32 + (threadEnd - ls - 21);
    last.threadEnd = threadEnd;
    last.level = level;
    return i;
  }

  /** The time of a stamp (read()'s `date` and `clock`), the same object for lines of the same second. */
  time(date: number, clock: number): LogTime {
    if (date === this.timeDate && clock === this.timeClock) return this.timeValue;
    this.timeDate = date;
    this.timeClock = clock;
    const ms = Date.UTC(
      Math.floor(date / 10000),
      (Math.floor(date / 100) % 100) - 1,
      date % 100,
      Math.floor(clock / 10000),
      Math.floor(clock / 100) % 100,
      clock % 100,
    );
    this.timeValue = { ms, zoned: false };
    return this.timeValue;
  }

  /** The thread of the last line read, as text (few distinct ones: cached). */
  thread(
    buf: Uint8Array & { toString(encoding: "latin1", start: number, end: number): string },
    ls: number,
  ): string {
    const { threadKey, threadEnd } = this.last;
    const digits = threadEnd - ls - 21;
    // Up to 12 digits the key is exact (longer ones are made each time).
    let text = digits <= 12 ? this.threads.get(threadKey) : undefined;
    if (text === undefined) {
      text = buf.toString("latin1", ls + 21, threadEnd);
      if (this.threads.size < 4096 && digits <= 12) this.threads.set(threadKey, text);
    }
    return text;
  }

  /** The level of the last line read is exactly WARN. */
  isWarn(buf: Uint8Array): boolean {
    const i = this.last.level;
    return (
      buf[i] === 87 &&
      buf[i + 1] === 65 &&
      buf[i + 2] === 82 &&
      buf[i + 3] === 78 &&
      !isUpper(buf[i + 4] ?? 0)
    );
  }
}
