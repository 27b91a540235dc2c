import { describe, expect, it } from "vitest";
import { fingerprint, type KickSample } from "../../../src/probe/keepalive-fingerprint.js";
import { staggerPlan } from "../../../src/probe/keepalive-plan.js";

const KEEPALIVES = [1, 2, 4];

/** Kick delays of the planned sessions under a model: kickAt(startS, keepalive) → absolute kick time (s). */
function simulate(model: (startS: number, keepalive: number) => number, sweepPhaseS = 0.37): KickSample[] {
  return staggerPlan(KEEPALIVES, 3, 6000).map(({ keepalive, offsetMs, round }) => {
    const start = 100 + sweepPhaseS + offsetMs / 1000;
    return { keepalive, kickAfter: model(start, keepalive) - start, round };
  });
}

/** mosquitto 2.0: a global sweep every 6 s, whole-second timestamps, integer keepalive*3/2. */
const mosquitto = (start: number, k: number) => {
  let t = 0;
  while (!(Math.floor(t) - Math.floor(start) > Math.floor((k * 3) / 2))) t += 6;
  return t;
};
const spec = (start: number, k: number) => start + 1.5 * k;
/** NanoMQ's tick model (docs/broker-facts.md), silent since CONNECT: 1.5·Q + Q·(⌊KA·M/Q⌋ + 1). */
const nanomq = (q: number, m: number) => (start: number, k: number) =>
  start + 1.5 * q + q * (Math.floor((k * m) / q) + 1);

describe("keepalive fingerprint", () => {
  it("spec broker: multiplier 1.5, granularity 0, within the window", () => {
    const fp = fingerprint(simulate(spec), 60);
    expect(fp.inferred.multiplier).toBeCloseTo(1.5, 2);
    expect(fp.inferred.granularity).toBeCloseTo(0, 1);
    expect(fp.status).toBe("pass");
    expect(fp.reading.code).toBe("multiplier");
  });

  for (const phase of [0, 0.37, 1.5, 2.9, 4.2, 5.8]) {
    it(`mosquitto sweep (phase ${phase} s): multiplier ≈ 1.5, granularity ≈ 6 s, late kicks warn`, () => {
      const fp = fingerprint(simulate(mosquitto, phase), 60);
      expect(fp.inferred.multiplier).toBeGreaterThan(1.3);
      expect(fp.inferred.multiplier).toBeLessThan(2.0);
      expect(fp.inferred.granularity).toBeGreaterThan(4.5);
      expect(fp.inferred.granularity).toBeLessThan(7.5);
      expect(fp.reading.code).toBe("multiplier-with-sweep");
      // whole-second timestamps make some kicks early, but never by more than a second: stock mosquitto warns
      expect(fp.status).toBe("warn");
      expect(fp.code).toBe(fp.belowSpec > 0 ? "early-whole-second" : "late-kick");
    });
  }

  it("NanoMQ defaults (Q 10 s, M 1.25): a ~10 s tick dominates small keepalives", () => {
    const fp = fingerprint(simulate(nanomq(10, 1.25)), 60);
    expect(fp.groups.map((g) => g.median)).toEqual([25, 25, 25]);
    // NanoMQ's tick fits (keepalive-fit.ts): Q = 10 s; with every kick at 25 s M is only known to be < 2.5
    expect(fp.reading).toEqual({ code: "tick", tick: 10, multiplier: null, range: [0, 2.5] });
    expect(fp.inferred).toMatchObject({ model: "tick", tickS: 10, multiplier: null });
    expect(fp.status).toBe("warn");
    expect(fp.code).toBe("late-kick");
  });

  it("NanoMQ with retry_interval 1 s: kicks at 3.5, 4.5 and 7.5 s, no spread at a fixed keepalive", () => {
    const fp = fingerprint(simulate(nanomq(1, 1.25)), 60);
    expect(fp.groups.map((g) => g.median)).toEqual([3.5, 4.5, 7.5]);
    expect(fp.groups.map((g) => (g.max ?? 0) - (g.min ?? 0))).toEqual([0, 0, 0]);
    // per-connection timer, no global sweep: only the model's non-linearity (⌊KA·M/Q⌋) is left
    expect(fp.inferred.granularity).toBeLessThan(1);
    // the fit names NanoMQ's model, not "≈1.4× keepalive": Q = 1 s, M in [1.25, 1.5) from keepalives 1, 2, 4
    expect(fp.inferred).toMatchObject({ model: "tick", tickS: 1, multiplierRange: [1.25, 1.5] });
    expect(fp.reading.code).toBe("tick");
  });

  it("one sweep kicking every keepalive together reads as sweep-dominated, not as a multiplier of 0", () => {
    const same = [1, 2].flatMap((keepalive) => [3.71, 6.73].map((kickAfter) => ({ keepalive, kickAfter })));
    expect(fingerprint(same, 60).reading.code).toBe("sweep-dominated");
  });

  it("an early kick (1× keepalive) fails", () => {
    const fp = fingerprint(
      simulate((s, k) => s + k),
      60,
    );
    expect(fp.status).toBe("fail");
    expect(fp.code).toBe("early-kick");
    expect(fp.earliestRatio).toBe(1);
  });

  // Each kick against 1.5 × keepalive: before it is never a pass; within a second of it (what whole-second
  // timestamps explain) warns with its own code; earlier fails; later than + 2 s warns.
  const branches: [number, number, string, string][] = [
    [1, 1.5, "pass", "within-window"],
    [4, 6, "pass", "within-window"],
    [4, 8, "pass", "within-window"],
    [1, 1.499, "warn", "early-whole-second"],
    [1, 1.1, "warn", "early-whole-second"],
    [4, 5, "warn", "early-whole-second"],
    [4, 4.999, "fail", "early-kick"],
    [1, 0.4, "fail", "early-kick"],
    [4, 8.01, "warn", "late-kick"],
  ];
  for (const [keepalive, kickAfter, status, code] of branches) {
    it(`keepalive ${keepalive} s kicked after ${kickAfter} s → ${status} ${code}`, () => {
      const fp = fingerprint([{ keepalive, kickAfter }], 60);
      expect([fp.status, fp.code]).toEqual([status, code]);
      expect(fp.belowSpec).toBe(kickAfter < 1.5 * keepalive ? 1 : 0);
    });
  }

  it("the earliest kick is the one furthest before its own limit, with that limit", () => {
    const fp = fingerprint(
      [
        { keepalive: 1, kickAfter: 1.2 },
        { keepalive: 4, kickAfter: 5.4 },
        { keepalive: 2, kickAfter: 9 },
      ],
      60,
    );
    expect(fp.code).toBe("early-whole-second");
    expect(fp.earliest).toEqual({ keepalive: 4, kickAfter: 5.4, limit: 6, early: 0.6 });
    expect(fp.belowSpec).toBe(2);
    expect(fp.earliestRatio).toBe(1.2);
    expect(fp.lag).toBe(6);
  });

  it("a kick more than a second early outranks whole-second ones and late ones", () => {
    const fp = fingerprint(
      [
        { keepalive: 1, kickAfter: 1.2 },
        { keepalive: 4, kickAfter: 3 },
        { keepalive: 2, kickAfter: 9 },
      ],
      60,
    );
    expect([fp.status, fp.code]).toEqual(["fail", "early-kick"]);
    expect(fp.earliest).toMatchObject({ keepalive: 4, kickAfter: 3, limit: 6 });
  });

  it("late by more than 2 s warns with the lag", () => {
    const fp = fingerprint(
      simulate((s, k) => s + 1.5 * k + 3),
      60,
    );
    expect(fp.code).toBe("late-kick");
    expect(fp.lag).toBeCloseTo(3, 2);
  });

  it("not kicked within max-wait fails when max-wait reaches past the late threshold, else warns", () => {
    expect(fingerprint([{ keepalive: 4, kickAfter: null }], 60).code).toBe("not-kicked");
    expect(fingerprint([{ keepalive: 4, kickAfter: null }], 60).status).toBe("fail");
    expect(fingerprint([{ keepalive: 4, kickAfter: null }], 5).status).toBe("warn");
  });
});

describe("staggerPlan", () => {
  it("starts at 0, stays within the window; each round aims every keepalive's deadline at one phase, rounds evenly spread", () => {
    const plan = staggerPlan(KEEPALIVES, 3, 6000);
    expect(plan).toHaveLength(9);
    expect(Math.min(...plan.map((p) => p.offsetMs))).toBe(0);
    expect(Math.max(...plan.map((p) => p.offsetMs))).toBeLessThan(6000);
    const phase = (p: { offsetMs: number; keepalive: number }) => (p.offsetMs + 1500 * p.keepalive) % 6000;
    const roundPhases = [0, 1, 2].map((r) => {
      const phases = plan.filter((p) => p.round === r).map(phase);
      expect(phases).toHaveLength(3);
      for (const ph of phases) expect(ph).toBeCloseTo(phases[0] as number, -1);
      return phases[0] as number;
    });
    const sorted = [...roundPhases].sort((a, b) => a - b);
    expect(sorted[1] as number).toBeCloseTo((sorted[0] as number) + 2000, -1);
    expect(sorted[2] as number).toBeCloseTo((sorted[0] as number) + 4000, -1);
  });
});

describe("the mosquitto fingerprint over every sweep phase (0 to 6 s in 50 ms steps)", () => {
  it("multiplier 1.45–1.55 and granularity 5.5–6.5 s at every phase (it swung 1.07–1.79 with interleaved phases)", () => {
    for (let phase = 0; phase < 6; phase += 0.05) {
      const fp = fingerprint(simulate(mosquitto, phase + 0.003), 60);
      expect(fp.inferred.multiplier, `phase ${phase}`).toBeGreaterThanOrEqual(1.45);
      expect(fp.inferred.multiplier, `phase ${phase}`).toBeLessThanOrEqual(1.55);
      expect(fp.inferred.granularity, `phase ${phase}`).toBeGreaterThanOrEqual(5.5);
      expect(fp.inferred.granularity, `phase ${phase}`).toBeLessThanOrEqual(6.5);
    }
  });
});
