/** Where a MultiSearch writes what it found: starts in `at`, pattern indexes in `which`. Grown as needed. */
export interface Hits {
  at: Int32Array;
  which: Uint8Array;
}

const BANG = 33; // `!`

/**
 * Finds every occurrence of every pattern (at most 256, each at least 2 bytes; overlapping occurrences too) in a
 * byte range, in order of start. Wu-Manber over 2-byte blocks: its step is at most the shortest pattern's length
 * less one, so the short patterns that hold a `!` (NanoMQ's ` online!`, ` offline!`) are left out of it and found
 * from the `!`s instead (memchr, rare in a log), then both lists are merged. Blocks and pattern words are read
 * through a DataView (one bounds-checked load per 2 or 4 bytes).
 */
export class MultiSearch {
  /** Wu-Manber's patterns (indexes into `patterns`) and shortest length. */
  private readonly wm: number[];
  private readonly m: number;
  private readonly shift = new Uint8Array(65536);
  /** By a window's last block (where the shift is 0): the patterns that may end there. */
  private readonly bucket: (number[] | undefined)[] = new Array(65536);
  /** Each pattern as big-endian 32-bit words (its first ⌊length/4⌋·4 bytes). */
  private readonly words: Uint32Array[];
  /** The `!` patterns: index, and the offset of its last `!` (one `!` per occurrence names it). */
  private readonly bang: { index: number; offset: number }[] = [];
  private readonly scratch: Hits = { at: new Int32Array(1024), which: new Uint8Array(1024) };

  constructor(readonly patterns: readonly Uint8Array[]) {
    if (patterns.length > 256 || patterns.some((p) => p.length < 2))
      throw new Error("MultiSearch: at most 256 patterns of 2 bytes or more");
    const plain = patterns.filter((p) => !p.includes(BANG)).map((p) => p.length);
    const shortest = plain.length > 0 ? Math.min(...plain) : Number.POSITIVE_INFINITY;
    this.wm = [];
    patterns.forEach((p, i) => {
      if (p.includes(BANG) && p.length < shortest) this.bang.push({ index: i, offset: p.lastIndexOf(BANG) });
      else this.wm.push(i);
    });
    this.words = patterns.map((p) => {
      const w = new Uint32Array(p.length >> 2);
      const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
      for (let j = 0; j < w.length; j++) w[j] = view.getUint32(4 * j);
      return w;
    });
    const m = this.wm.length > 0 ? Math.min(...this.wm.map((i) => (patterns[i] as Uint8Array).length)) : 2;
    this.m = m;
    this.shift.fill(m - 1);
    for (const i of this.wm) {
      const b = patterns[i] as Uint8Array;
      for (let j = 0; j + 1 < m; j++) {
        const block = ((b[j] as number) << 8) | (b[j + 1] as number);
        const sh = m - 2 - j;
        if (sh < (this.shift[block] as number)) this.shift[block] = sh;
      }
      const last = ((b[m - 2] as number) << 8) | (b[m - 1] as number);
      const list = this.bucket[last] ?? [];
      list.push(i);
      this.bucket[last] = list;
    }
  }

  /** Occurrences in buf[from, end) into `out`, in order of start; returns how many. */
  find(buf: Uint8Array, from: number, end: number, out: Hits): number {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const n = this.wuManber(buf, view, from, end, out);
    if (this.bang.length === 0) return n;
    const b = this.bangs(buf, view, from, end, this.scratch);
    return b === 0 ? n : merge(out, n, this.scratch, b);
  }

  private wuManber(buf: Uint8Array, view: DataView, from: number, end: number, out: Hits): number {
    const { m, shift, bucket } = this;
    let n = 0;
    if (this.wm.length === 0) return 0;
    for (let pos = from + m - 1; pos < end; ) {
      const block = view.getUint16(pos - 1);
      const sh = shift[block] as number;
      if (sh > 0) {
        pos += sh;
        continue;
      }
      const start = pos - m + 1;
      const list = bucket[block] as number[];
      for (let l = 0; l < list.length; l++) {
        const i = list[l] as number;
        if (!this.at(buf, view, start, end, i)) continue;
        if (n === out.at.length) grow(out);
        out.at[n] = start;
        out.which[n] = i;
        n++;
      }
      pos++;
    }
    return n;
  }

  private bangs(buf: Uint8Array, view: DataView, from: number, end: number, out: Hits): number {
    let n = 0;
    const bang = this.bang;
    for (let i = buf.indexOf(BANG, from); i >= 0 && i < end; i = buf.indexOf(BANG, i + 1)) {
      for (let k = 0; k < bang.length; k++) {
        const { index, offset } = bang[k] as { index: number; offset: number };
        const start = i - offset;
        if (start < from || !this.at(buf, view, start, end, index)) continue;
        if (n === out.at.length) grow(out);
        out.at[n] = start;
        out.which[n] = index;
        n++;
      }
    }
    return n;
  }

  /** Pattern `i` starts at `start` and ends by `end`. */
  private at(buf: Uint8Array, view: DataView, start: number, end: number, i: number): boolean {
    const p = this.patterns[i] as Uint8Array;
    const len = p.length;
    if (start + len > end) return false;
    const w = this.words[i] as Uint32Array;
    let k = 0;
    for (let j = 0; j < w.length; j++, k += 4) if (view.getUint32(start + k) !== w[j]) return false;
    for (; k < len; k++) if (buf[start + k] !== p[k]) return false;
    return true;
  }
}

/**
 * Merges `b` (its `count`) into `out` (its first `n`), both in order of line — `b`'s starts are in order of their
 * `!`, which keeps each line's hits together — by start; returns the total.
 */
function merge(out: Hits, n: number, b: Hits, count: number): number {
  while (out.at.length < n + count) grow(out);
  const { at, which } = out;
  let i = n - 1;
  let j = count - 1;
  for (let k = n + count - 1; j >= 0; k--) {
    if (i >= 0 && (at[i] as number) > (b.at[j] as number)) {
      at[k] = at[i] as number;
      which[k] = which[i] as number;
      i--;
    } else {
      at[k] = b.at[j] as number;
      which[k] = b.which[j] as number;
      j--;
    }
  }
  return n + count;
}

function grow(out: Hits): void {
  const at = new Int32Array(out.at.length * 2);
  at.set(out.at);
  const which = new Uint8Array(out.which.length * 2);
  which.set(out.which);
  out.at = at;
  out.which = which;
}
