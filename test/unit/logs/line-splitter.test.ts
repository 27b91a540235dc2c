import { describe, expect, it } from "vitest";
import { LineSplitter, MAX_LINE_CHARS } from "../../../src/logs/line-splitter.js";

function split(chunks: (Buffer | string)[]): string[] {
  const s = new LineSplitter();
  return [...chunks.flatMap((c) => s.push(c)), ...s.end()];
}

function inChunks(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

describe("LineSplitter", () => {
  it("keeps lines whole across chunk boundaries, multi-byte characters included, and drops \\r", () => {
    const text = "a ü b\r\nzweite Zeile — ✓\nlast";
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(split(inChunks(text, size)), `chunk ${size}`).toEqual(["a ü b", "zweite Zeile — ✓", "last"]);
    }
  });

  it.each([
    ["inside one chunk", 1 << 20],
    ["across many chunks", 64 * 1024],
    ["across small chunks", 4096],
  ])("an overlong line stays ONE line, cut, so the line numbers after it hold (%s)", (_, size) => {
    const long = "x".repeat(3 * MAX_LINE_CHARS + 123);
    const lines = split(inChunks(`first\n${long}\nthird\nfourth\n`, size));
    expect(lines.map((l) => l.length)).toEqual([5, MAX_LINE_CHARS, 5, 6]);
    expect(lines[2]).toBe("third");
  });

  it("an overlong last line without a newline is one cut line", () => {
    const lines = split(inChunks(`a\n${"y".repeat(2 * MAX_LINE_CHARS)}`, 64 * 1024));
    expect(lines.map((l) => l.length)).toEqual([1, MAX_LINE_CHARS]);
  });
});
