import { describe, expect, it } from "vitest";
import { heldUntil, stalledUntil } from "../../../src/link/gate.js";
import type { StallFault } from "../../../src/link/types.js";

const stall = (atMs: number, forMs: number | null, release?: "flush" | "strand"): StallFault => ({
  kind: "stall",
  atMs,
  forMs,
  ...(release ? { release } : {}),
});

describe("stalls at a way's exit", () => {
  it.each([
    // stalls, since, established, held until
    [[stall(1000, 500)], 999, 0, null],
    [[stall(1000, 500)], 1000, 0, 1500],
    [[stall(1000, 500)], 1499, 0, 1500],
    [[stall(1000, 500)], 1500, 0, null],
    [[stall(1000, null)], 5000, 0, Number.POSITIVE_INFINITY],
    [[stall(1000, 500), stall(1200, 1000)], 1300, 0, 2200],
    // strand: connections that lived through the stall stay held; later ones pass
    [[stall(1000, 500, "strand")], 1500, 0, Number.POSITIVE_INFINITY],
    [[stall(1000, 500, "strand")], 9000, 900, Number.POSITIVE_INFINITY],
    [[stall(1000, 500, "strand")], 1600, 1500, null],
    [[stall(1000, 500, "strand")], 900, 0, null],
    // scope existing: only what was through before the stall began is held (and stranded)
    [[{ ...stall(1000, 500), scope: "existing" }], 1200, 900, 1500],
    [[{ ...stall(1000, 500), scope: "existing" }], 1200, 1100, null],
    [[{ ...stall(1000, null), scope: "existing" }], 9000, 1100, null],
    [[{ ...stall(1000, 500, "strand"), scope: "existing" }], 2000, 900, Number.POSITIVE_INFINITY],
    [[{ ...stall(1000, 500, "strand"), scope: "existing" }], 2000, 1100, null],
  ] as const)("%j at %i (established %i) → %s", (stalls, since, established, expected) => {
    expect(heldUntil(stalls, since, established)).toBe(expected);
  });

  it("new connections wait for the end of every active stall", () => {
    expect(stalledUntil([stall(0, 1000), stall(500, 2000)], 600)).toBe(2500);
    expect(stalledUntil([stall(0, 1000)], 1000)).toBeNull();
    expect(stalledUntil([{ ...stall(0, 1000), scope: "existing" }], 500)).toBeNull();
  });
});
