import { describe, expect, it } from "vitest";
import { prng } from "../../../src/core/prng.js";
import { Schedule } from "../../../src/link/schedule.js";
import type { LinkFault } from "../../../src/link/types.js";
import { wayFaults } from "../../../src/link/way-faults.js";

const schedule = (faults: LinkFault[], seed = 1) =>
  new Schedule(wayFaults({ faults }, "to-broker"), prng(seed));

describe("Schedule: when each piece of a way is due", () => {
  it("no faults: due on arrival", () => {
    const s = schedule([]);
    expect(s.dataDue(100, 100, 10)).toBe(100);
    expect(s.closeDue(120, 120)).toBe(120);
  });

  it("latency: arrival + latency; only in its window; only its direction", () => {
    const s = schedule([{ kind: "latency", latencyMs: 300, atMs: 1000, forMs: 1000 }]);
    expect(s.dataDue(500, 500, 1)).toBe(500);
    expect(s.dataDue(1000, 1000, 1)).toBe(1300);
    expect(s.dataDue(2100, 2100, 1)).toBe(2100);
    const other = schedule([{ kind: "latency", latencyMs: 300, direction: "to-client" }]);
    expect(other.dataDue(0, 0, 1)).toBe(0);
  });

  it("jitter: each delay within latency ± jitter, yet never before the piece ahead (TCP order)", () => {
    const s = schedule([{ kind: "latency", latencyMs: 300, jitterMs: 200 }], 42);
    let last = Number.NEGATIVE_INFINITY;
    const delays: number[] = [];
    for (let at = 0; at < 2000; at += 5) {
      const due = s.dataDue(at, at, 1);
      expect(due).toBeGreaterThanOrEqual(last);
      expect(due - at).toBeGreaterThanOrEqual(100);
      expect(due - at).toBeLessThanOrEqual(500);
      delays.push(due - at);
      last = due;
    }
    // pieces 5 ms apart with ±200 ms jitter bunch up behind a late one: the spread shows, the order holds
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(100);
  });

  it("jitter is reproducible from the seed", () => {
    const run = (seed: number) => {
      const s = schedule([{ kind: "latency", latencyMs: 300, jitterMs: 200 }], seed);
      return [0, 1000, 2000].map((at) => s.dataDue(at, at, 1));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it("bandwidth: bytes / rate on the wire, pieces queue behind each other", () => {
    const s = schedule([{ kind: "bandwidth", bytesPerSecond: 1000 }]);
    expect(s.dataDue(0, 0, 500)).toBe(500);
    expect(s.dataDue(100, 100, 500)).toBe(1000);
    expect(s.dataDue(5000, 5000, 100)).toBe(5100);
  });

  it("slow close: a FIN/RST after the delay, and never before the data ahead of it", () => {
    const s = schedule([
      { kind: "slow-close", delayMs: 2000 },
      { kind: "latency", latencyMs: 100 },
    ]);
    expect(s.dataDue(0, 0, 1)).toBe(100);
    expect(s.closeDue(10, 10)).toBe(2110);
    const t = schedule([{ kind: "bandwidth", bytesPerSecond: 100 }]);
    expect(t.dataDue(0, 0, 300)).toBe(3000);
    expect(t.closeDue(10, 10)).toBe(3000);
  });

  it("a delayed packet holds what follows it", () => {
    const s = schedule([]);
    expect(s.dataDue(0, 0, 2, 1500)).toBe(1500);
    expect(s.dataDue(10, 10, 2)).toBe(1500);
  });
});
