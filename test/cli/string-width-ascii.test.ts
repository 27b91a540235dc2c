import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

/**
 * scripts/string-width-ascii.cjs stands in for string-width in the CLI bundle: printable ASCII is as wide as it is
 * long without string-width's emoji regex. Here string-width itself says so for every printable ASCII string of up
 * to 3 characters (emoji-regex 8's only alternatives that start with an ASCII character, the keycaps and
 * `#*0-9` + U+FE0F, need a non-ASCII character next), and the stand-in answers as string-width for the rest.
 */
const require = createRequire(import.meta.url);
const stringWidth = require("string-width") as (s: unknown) => number;
const stringWidthAscii = require("../../scripts/string-width-ascii.cjs") as (s: unknown) => number;

const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

describe("string-width's stand-in in the CLI bundle", () => {
  it("string-width counts every printable ASCII string of 1 to 3 characters as its length", () => {
    let mismatches = 0;
    for (const a of PRINTABLE) {
      if (stringWidth(a) !== 1) mismatches++;
      for (const b of PRINTABLE) {
        if (stringWidth(a + b) !== 2) mismatches++;
        for (const c of PRINTABLE) if (stringWidth(a + b + c) !== 3) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it.each([
    "",
    "retry interval (Q)",
    "mqtt.keepalive_multiplier = 1.25 (line 13)",
    "80–90 s",
    "1.5 × keepalive",
    "a, b +12",
    "\u001b[1mbold\u001b[22m",
    "界面 wide",
    "e\u0301 combining",
    "👍 emoji",
    "1\ufe0f\u20e3 keycap",
    "tab\there",
    undefined,
    42,
  ])("answers as string-width for %j", (s) => {
    expect(stringWidthAscii(s)).toBe(stringWidth(s));
  });
});
