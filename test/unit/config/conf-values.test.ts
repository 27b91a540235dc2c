import { describe, expect, it } from "vitest";
import { parseConfDurationMs, parseConfNumber } from "../../../src/config/conf-values.js";

describe("config values", () => {
  it.each([
    ["10s", 10_000],
    ["10", 10_000],
    ["500ms", 500],
    ["1.5s", 1500],
    ["1m", 60_000],
    ["2 seconds", 2000],
    ["1h", 3_600_000],
    [" 10 s ", 10_000],
  ])("duration %s", (raw, ms) => {
    expect(parseConfDurationMs(raw)).toBe(ms);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: a HOCON substitution, deliberately unresolved
  it.each(["soon", "10 parsecs", "", "-1s", "${x}"])("not a duration: %s", (raw) => {
    expect(parseConfDurationMs(raw)).toBeUndefined();
  });

  it("numbers", () => {
    expect(parseConfNumber("1.25")).toBe(1.25);
    expect(parseConfNumber("1250")).toBe(1250);
    expect(parseConfNumber("1.25x")).toBeUndefined();
    expect(parseConfNumber("")).toBeUndefined();
  });
});
