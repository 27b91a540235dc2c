import { describe, expect, it } from "vitest";
import { NANOMQ_LATEST } from "../../../src/core/profile.js";
import { mosquittoKickAt } from "../../../src/keepalive/predict-mosquitto.js";
import { nanomqKickAt } from "../../../src/keepalive/predict-nanomq.js";
import { specKickAt } from "../../../src/keepalive/predict-spec.js";
import { multiplierPlan, nextKeepalives } from "../../../src/probe/keepalive-adaptive.js";
import { keepaliveAnswer } from "../../../src/probe/keepalive-answer.js";
import { fingerprint, type KickSample } from "../../../src/probe/keepalive-fingerprint.js";
import { type FitSample, fitKeepaliveModel } from "../../../src/probe/keepalive-fit.js";
import { staggerPlan } from "../../../src/probe/keepalive-plan.js";
import { simplestIn } from "../../../src/probe/simplest.js";

/** Measured delays carry a few ms of latency (the client stamps its CONNECT before the broker reads it). */
const LATENCY_S = 0.004;
const HINTS = { slope: null, spreadGranularity: null };

/**
 * Silent sessions as the probe runs them (staggered, 3 per keepalive), each kicked where the broker's own
 * predictor says: `kickAtMs(connectAtMs, keepaliveMs)`. Times start at an odd clock offset.
 */
function sessions(
  keepalives: readonly number[],
  kickAtMs: (connectAtMs: number, keepaliveMs: number) => number | null,
  perKeepalive = 3,
): KickSample[] {
  return staggerPlan(keepalives, perKeepalive, 6000).map(({ keepalive, offsetMs, round }) => {
    const connectAt = 100_370 + offsetMs;
    const kick = kickAtMs(connectAt, keepalive * 1000);
    return {
      keepalive,
      round,
      startAt: connectAt / 1000,
      kickAfter: kick === null ? null : (kick - connectAt) / 1000 + LATENCY_S,
    };
  });
}

const nanomq = (q: number, m: number) => (connectAt: number, keepaliveMs: number) =>
  nanomqKickAt(
    { retryIntervalMs: q * 1000, keepaliveMultiplier: m, nanomqVersion: NANOMQ_LATEST },
    { keepaliveMs, connectAt },
  );
const mosquitto = (phaseMs: number) => (connectAt: number, keepaliveMs: number) =>
  mosquittoKickAt({ keepaliveMs, connectAt, sweepPhaseMs: phaseMs });
const exact = (m: number) => (connectAt: number, keepaliveMs: number) => connectAt + m * keepaliveMs;

/** Runs the adaptive rounds the probe would, on the predictor, with an unlimited wait. */
function withAdaptive(samples: KickSample[], kickAtMs: Parameters<typeof sessions>[1], budgetS = 60) {
  let all = samples;
  for (let r = 0; r < 3; r++) {
    const fp = fingerprint(all, 60);
    const kicks = fp.groups.map((g) => ({ keepalive: g.keepalive, t: g.median as number }));
    const next = nextKeepalives(fp.inferred, kicks, budgetS);
    if (!next.length) break;
    all = [...all, ...sessions(next, kickAtMs, 1).map((s) => ({ ...s, adaptive: true }))];
  }
  return fingerprint(all, 60);
}

describe("keepalive model fit on kick times from the broker's own predictors", () => {
  const ticks: [number, number, [number, number]][] = [
    [1, 1.25, [1.25, 1.5]],
    [1, 1.5, [1.5, 1.75]],
    [10, 1.25, [0, 2.5]],
    [10, 1.5, [0, 2.5]],
  ];
  for (const [q, m, range] of ticks) {
    it(`tick Q ${q} s, M ${m}: model tick, tickS ${q}, keepalives 1,2,4 bound M to [${range}) `, () => {
      const fit = fitKeepaliveModel(sessions([1, 2, 4], nanomq(q, m)), HINTS);
      expect(fit).toMatchObject({ model: "tick", tickS: q, multiplierRange: range, alsoFits: [] });
      expect(fit.open).toEqual([expect.objectContaining({ parameter: "multiplier", code: "range", range })]);
    });
  }

  for (const m of [1.25, 1.5, 1.33]) {
    it(`tick Q 1 s, M ${m}: the adaptive rounds pin M to ±0.05`, () => {
      const fp = withAdaptive(sessions([1, 2, 4], nanomq(1, m)), nanomq(1, m));
      const { multiplier, multiplierRange, open } = fp.inferred;
      expect(fp.inferred.model).toBe("tick");
      expect(fp.inferred.tickS).toBe(1);
      expect(Math.abs((multiplier as number) - m)).toBeLessThanOrEqual(0.05);
      const [lo, hi] = multiplierRange as [number, number];
      expect(m).toBeGreaterThanOrEqual(lo);
      expect(m).toBeLessThan(hi);
      expect(hi - lo).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(open).toEqual([]);
      // the verdict is the requested keepalives' only: adaptive kicks pin the model
      expect(fp.groups.length).toBeGreaterThan(3);
    });
  }

  it("tick Q 10 s, M 1.25 within a 35 s wait: M narrowed as far as the wait allows, the rest stated open", () => {
    const fp = withAdaptive(sessions([1, 2, 4], nanomq(10, 1.25)), nanomq(10, 1.25), 35);
    expect(fp.inferred).toMatchObject({ model: "tick", tickS: 10 });
    // keepalive 8 is kicked at 35 s when M ≥ 1.25: beyond the wait, so "not kicked" says M ≥ 1.25
    const open = fp.inferred.open.find((o) => o.parameter === "multiplier");
    expect(open).toMatchObject({ code: "range" });
    const range = (open as { range: [number, number] }).range;
    expect(range[0]).toBeLessThanOrEqual(1.25);
    expect(range[1]).toBeGreaterThan(1.25);
    expect((open as { needMaxWaitS: number }).needMaxWaitS).toBeGreaterThan(35);
  });

  it("tick Q 10 s, M 1.25 with a long wait: pinned too", () => {
    const fp = withAdaptive(sessions([1, 2, 4], nanomq(10, 1.25)), nanomq(10, 1.25), 400);
    expect(fp.inferred).toMatchObject({ model: "tick", tickS: 10, open: [] });
    expect(Math.abs((fp.inferred.multiplier as number) - 1.25)).toBeLessThanOrEqual(0.05);
  });

  for (const phase of [0, 2_000, 4_000, 5_000]) {
    it(`mosquitto's 6 s sweep (phase ${phase} ms): model sweep, granularityS 6, not a tick, no adaptive round`, () => {
      const samples = sessions([1, 2, 4], mosquitto(phase));
      const fp = fingerprint(samples, 60);
      expect(fp.inferred.model).toBe("sweep");
      expect(fp.inferred.granularityS).toBeCloseTo(6, 0);
      expect(fp.inferred.multiplier).toBeGreaterThan(1.3);
      expect(fp.inferred.multiplier).toBeLessThan(1.8);
      const [lo, hi] = fp.inferred.multiplierRange as [number, number];
      expect(lo).toBeLessThanOrEqual(1.5);
      expect(hi).toBeGreaterThanOrEqual(1.5);
      expect(fp.reading.code).toBe("multiplier-with-sweep");
      expect(nextKeepalives(fp.inferred, [], 60)).toEqual([]);
    });
  }

  it("exact 1.5 × keepalive (the spec profile's predictor): model exact, multiplier 1.5", () => {
    const fit = fitKeepaliveModel(
      sessions([1, 2, 4], (connectAt, keepaliveMs) => specKickAt({ keepaliveMs, connectAt })),
      HINTS,
    );
    expect(fit).toMatchObject({ model: "exact", multiplier: 1.5, alsoFits: [], open: [] });
  });

  it("exact 2 × keepalive: multiplier 2", () => {
    expect(fitKeepaliveModel(sessions([1, 2, 4], exact(2)), HINTS)).toMatchObject({
      model: "exact",
      multiplier: 2,
    });
  });

  it("one keepalive value: exact and tick both fit, said open; the adaptive round (2×, 4×) settles it", () => {
    const one = sessions([1], nanomq(1, 1.25), 2);
    const fit = fitKeepaliveModel(one, HINTS);
    expect(fit.alsoFits).toContain("tick");
    expect(fit.open).toContainEqual({ parameter: "model", code: "ambiguous", candidates: ["exact", "tick"] });
    expect(nextKeepalives(fit, [{ keepalive: 1, t: 3.5 }], 60)).toEqual([2, 4]);
    expect(withAdaptive(one, nanomq(1, 1.25)).inferred).toMatchObject({ model: "tick", tickS: 1, open: [] });
  });

  it("nothing kicked: unknown, the model open", () => {
    const fit = fitKeepaliveModel([{ keepalive: 1, kickAfter: null, waited: 30 }], HINTS);
    expect(fit).toMatchObject({ model: "unknown", open: [{ parameter: "model", code: "no-kick" }] });
  });

  it("kicks no model explains (random per keepalive, no lattice): unknown", () => {
    const samples: FitSample[] = [
      { keepalive: 1, kickAfter: 2.1, startAt: 0 },
      { keepalive: 2, kickAfter: 7.77, startAt: 0.3 },
      { keepalive: 4, kickAfter: 5.3, startAt: 1.1 },
    ];
    expect(fitKeepaliveModel(samples, HINTS).model).toBe("unknown");
  });

  it("a not-kicked session bounds M from below (kicked later than it waited)", () => {
    const samples: FitSample[] = [
      { keepalive: 1, kickAfter: 3.5 },
      { keepalive: 2, kickAfter: 4.5 },
      { keepalive: 4, kickAfter: 7.5 },
      { keepalive: 8, kickAfter: null, waited: 12 },
    ];
    // keepalive 8 not kicked by 12 s: ⌊8·M⌋ ≥ 10, M ≥ 1.25 — and still < 1.5 from keepalive 4
    expect(fitKeepaliveModel(samples, HINTS).multiplierRange).toEqual([1.25, 1.5]);
    samples[3] = { keepalive: 8, kickAfter: null, waited: 13 };
    expect(fitKeepaliveModel(samples, HINTS).multiplierRange).toEqual([1.375, 1.5]);
  });
});

describe("multiplierPlan: the cheapest keepalives that cut M's range into pieces ≤ 0.05", () => {
  it("Q 1 s, M in [1.25, 1.5): three sessions, worst kick within 20 s", () => {
    const plan = multiplierPlan(1, 1.25, 1.5, 60);
    expect(plan).toEqual([9, 10, 11]);
  });
  it("Q 10 s, M in [0, 2.5) with 35 s left: the one keepalive whose kick (or none) splits at 1.25", () => {
    expect(multiplierPlan(10, 0, 2.5, 35)).toEqual([8]);
  });
  it("no observable kick within the budget: nothing to run", () => {
    expect(multiplierPlan(10, 0, 2.5, 20)).toEqual([]);
  });
});

describe("--keepalive: when the fitted model kicks a client", () => {
  const tickFit = fingerprint(
    [1, 2, 4, 9, 10, 11].map((k) => ({
      keepalive: k,
      kickAfter: (nanomq(1, 1.25)(0, k * 1000) as number) / 1000,
    })),
    60,
  ).inferred;

  it("NanoMQ Q 1 s, M 1.25, keepalive 60: silent from CONNECT 77.5 s (docs/broker-facts.md: 1.5·Q + Q·(⌊KA·M/Q⌋+1))", () => {
    expect(tickFit.multiplierRange?.[0]).toBe(1.25);
    const a = keepaliveAnswer(tickFit, 60);
    expect(a.code).toBe("predicted");
    expect(a.afterConnect?.min).toBe(77.5);
    expect(a.afterLastPacket?.min).toBe(76);
    expect(a.safeInterval).toBe(76);
    // 76 s < 1.5 × 60 s: NanoMQ with M 1.25 kicks before the spec's grace
    expect(a.beforeSpec).toBe(true);
  });

  it("keepalive 0 is never kicked by current NanoMQ", () => {
    expect(keepaliveAnswer(tickFit, 0).code).toBe("never");
  });

  it("mosquitto's sweep: (⌊1.5k⌋, ⌊1.5k⌋ + 6] after the last packet, from its own predictor", () => {
    const fp = fingerprint(sessions([1, 2, 4], mosquitto(0)), 60);
    const a = keepaliveAnswer(fp.inferred, 60);
    expect(a.afterLastPacket).toEqual({ min: 90, max: 96 });
    expect(a.beforeSpec).toBe(false);
  });

  it("exact: multiplier × keepalive", () => {
    const fp = fingerprint(sessions([1, 2, 4], exact(1.5)), 60);
    expect(keepaliveAnswer(fp.inferred, 10).afterLastPacket).toEqual({ min: 15, max: 15 });
  });

  it("no model: unknown", () => {
    const fp = fingerprint([{ keepalive: 1, kickAfter: null }], 60);
    expect(keepaliveAnswer(fp.inferred, 10).code).toBe("unknown");
  });
});

describe("simplestIn", () => {
  const cases: [number, number, number][] = [
    [1.25, 1.2727, 1.25],
    [1.5, 1.55, 1.5],
    [1.3, 1.4, 1.3],
    [1.2501, 1.2727, 1.26],
    [0.999, 1.001, 1],
  ];
  for (const [lo, hi, want] of cases) {
    it(`[${lo}, ${hi}) → ${want}`, () => expect(simplestIn(lo, hi)).toBe(want));
  }
});
