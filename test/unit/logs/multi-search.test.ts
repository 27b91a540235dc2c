import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MultiSearch } from "../../../src/logs/multi-search.js";

/** Every occurrence of every pattern, overlapping ones too, by the obvious double loop. */
function naive(patterns: readonly Uint8Array[], buf: Buffer, from: number, end: number): [number, number][] {
  const found: [number, number][] = [];
  for (let s = from; s < end; s++)
    patterns.forEach((p, i) => {
      if (s + p.length <= end && p.every((b, k) => buf[s + k] === b)) found.push([s, i]);
    });
  return found;
}

/** The hits grouped by line (the order the log reader needs): each line's hits as a sorted set. */
function byLine(hits: [number, number][], buf: Buffer): string[] {
  const lines = new Map<number, string[]>();
  for (const [at, i] of hits) {
    const line = buf.subarray(0, at).filter((b) => b === 10).length;
    lines.set(line, [...(lines.get(line) ?? []), `${at}:${i}`]);
  }
  return [...lines].map(([line, h]) => `${line} ${h.sort().join(",")}`);
}

const ALPHABET = [..." onlief!\nab"].map((c) => c.charCodeAt(0));
const bytes = (min: number, max: number) =>
  fc.array(fc.constantFrom(...ALPHABET), { minLength: min, maxLength: max }).map((a) => Buffer.from(a));

describe("MultiSearch", () => {
  it("finds what the naive search finds, lines in order, for any patterns (with and without `!`) and range", () => {
    fc.assert(
      fc.property(
        fc.array(
          bytes(2, 10).filter((p) => !p.includes(10)),
          { minLength: 1, maxLength: 8 },
        ),
        bytes(0, 300),
        fc.nat(),
        fc.nat(),
        (patterns, buf, a, b) => {
          const from = a % (buf.length + 1);
          const end = from + (b % (buf.length - from + 1));
          const search = new MultiSearch(patterns);
          const out = { at: new Int32Array(1), which: new Uint8Array(1) };
          const n = search.find(buf, from, end, out);
          const got: [number, number][] = [];
          for (let k = 0; k < n; k++) got.push([out.at[k] as number, out.which[k] as number]);
          const want = naive(patterns, buf, from, end);
          expect(byLine(got, buf)).toEqual(byLine(want, buf));
          // In order of line: a later hit is never on an earlier line.
          const lineOf = (at: number) => buf.subarray(0, at).filter((c) => c === 10).length;
          for (let k = 1; k < got.length; k++)
            expect(lineOf((got[k] as [number, number])[0])).toBeGreaterThanOrEqual(
              lineOf((got[k - 1] as [number, number])[0]),
            );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("finds NanoMQ's anchors in a real line, ` online!` from its `!`", () => {
    const patterns = [" online!", " offline!", "sleep aio error ", "nni aio recv error!! "].map((t) =>
      Buffer.from(t),
    );
    const line = Buffer.from(
      "2026-12-01 21:50:01 [16319] WARN  x.c:1 f: a online! b offline! nni aio recv error!! sleep aio error 7\n",
    );
    const out = { at: new Int32Array(2), which: new Uint8Array(2) };
    const n = new MultiSearch(patterns).find(line, 0, line.length, out);
    expect(n).toBe(4);
    expect([...out.which.subarray(0, n)].map((i) => patterns[i]?.toString()).sort()).toEqual([
      " offline!",
      " online!",
      "nni aio recv error!! ",
      "sleep aio error ",
    ]);
  });
});
