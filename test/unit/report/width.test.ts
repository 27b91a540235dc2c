import { describe, expect, it } from "vitest";
import { fitTable, fitWidths } from "../../../src/report/fit-table.js";
import { clip, fitLines, reportWidth, shortList, stripAnsi, wrap } from "../../../src/report/width.js";

const widest = (text: string) =>
  Math.max(
    ...stripAnsi(text)
      .split("\n")
      .map((l) => l.length),
  );

describe("report width", () => {
  it("the terminal's, within 72–200; 100 when unknown", () => {
    expect([reportWidth(undefined), reportWidth(40), reportWidth(90), reportWidth(300)]).toEqual([
      100, 72, 90, 200,
    ]);
  });

  it.each([
    [["a", "b", "c"], 20, "a, b, c"],
    [["alpha", "beta", "gamma", "delta"], 16, "alpha, beta +2"],
    [["alpha", "beta", "gamma", "delta"], 12, "alpha +3"],
    [["a-very-long-client-id", "b"], 10, "a-very… +1"],
    [["a-very-long-client-id"], 10, "a-very-lo…"],
  ])("shortList(%j, %i) = %s", (names, max, expected) => {
    expect(shortList(names, max)).toBe(expected);
    expect(shortList(names, max).length).toBeLessThanOrEqual(max);
  });

  it("clip", () => {
    expect([clip("abcdef", 6), clip("abcdef", 4)]).toEqual(["abcdef", "abc…"]);
  });

  it("wrap breaks at spaces, with a hanging indent, and cuts a word longer than a line", () => {
    expect(wrap("one two three four", 9, "- ", "  ")).toEqual(["- one two", "  three", "  four"]);
    const cut = wrap(`x ${"y".repeat(25)} z`, 10, "  ");
    expect(cut.every((l) => l.length <= 10)).toBe(true);
    expect(cut.join("").replace(/ /g, "")).toBe(`x${"y".repeat(25)}z`);
  });

  it("fitLines wraps only what is too wide, keeping the indent and a bullet's hang", () => {
    const text = ["short", `  - ${"word ".repeat(30).trim()}`, "\u001b[1mbold\u001b[22m"].join("\n");
    const out = fitLines(text, 40);
    expect(widest(out)).toBeLessThanOrEqual(40);
    expect(out.split("\n")[0]).toBe("short");
    expect(out.split("\n")[2]).toMatch(/^ {4}word/);
    expect(out).toContain("\u001b[1mbold\u001b[22m");
  });

  it("fitWidths gives way in the flexible columns first", () => {
    expect(fitWidths([10, 5, 40], [{}, {}, { min: 10 }], 40)).toEqual([10, 5, 15]);
    // nothing flexible left: the widest column gives way
    expect(fitWidths([30, 5, 40], [{}, {}, { min: 20 }], 40)).toEqual([12, 5, 13]);
  });

  it.each([40, 72, 100])("fitTable is at most %i columns wide, however long its cells", (width) => {
    const rows = [
      ["keepalive-timeout", "3", "a ".repeat(80).trim(), "x".repeat(120)],
      ["peer-gone", "12", "short", ""],
    ];
    const out = fitTable(["kind", "n", "what", "notes"], rows, [{}, {}, { min: 8 }, { min: 6 }], width);
    expect(widest(out)).toBeLessThanOrEqual(width);
  });
});
