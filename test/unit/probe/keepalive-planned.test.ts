import { describe, expect, it } from "vitest";
import { cutsOf, designKeepalives, revealS, stillTells } from "../../../src/probe/keepalive-design.js";
import { MULTIPLIER_PIN } from "../../../src/probe/keepalive-fit-types.js";
import {
  multiplierBounds,
  narrow,
  priorHypotheses,
  tickHypotheses,
} from "../../../src/probe/keepalive-hypotheses.js";
import { keepalivePlan, SPREAD_MS } from "../../../src/probe/keepalive-planned.js";
import { simulateCheck } from "../../helpers/probe-plan-sim.js";

const PLAN = keepalivePlan({ maxWaitMs: 60_000, keepaliveSamples: [1, 2, 4] });
/** The last planned session's CONNECT comes this long after the first. */
const SPREAD_S = ((PLAN?.keepalives.length ?? 0) * SPREAD_MS) / 1000;

/**
 * The narrowest the tick model allows within the horizon: the piece of [1, 2.5) around m left by every cut
 * j·Q/k (any keepalive) whose outcome is known in time — what no choice of keepalives can beat.
 */
function bestWidth(q: number, m: number, horizonS: number): number {
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  // j·Q/k ≥ 0.95 with Q·(1.5 + j) ≤ 60 s needs k < 64: 100 keepalives are every one that counts
  for (let k = 1; k <= 100; k++) {
    for (const c of cutsOf({ tickS: q, lo: 0, hi: 10 }, k, horizonS)) {
      if (c <= m + 1e-12) lo = Math.max(lo, c);
      else hi = Math.min(hi, c);
    }
  }
  return hi - lo;
}

describe("the keepalive plan: keepalives chosen by what their kicks would tell", () => {
  it("before any kick: every whole-second retry_interval that can kick within the horizon, M about [1, 2.5)", () => {
    const prior = priorHypotheses(60);
    expect(prior.map((h) => h.tickS)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    // the prior [1, 2.5) widened by the pin: a multiplier at its very end is pinned by cuts on both sides
    expect(prior.every((h) => h.lo === 0.95 && h.hi === 2.55)).toBe(true);
    // 2.5·Q must come within the wait: nothing to plan for Q 10 s within 20 s
    expect(priorHypotheses(20).map((h) => h.tickS)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("a cut is j·Q/k, known Q·(1.5 + j) + 1 s after CONNECT: keepalive 8 and 23 at Q 10 s (the issue's example)", () => {
    const h = { tickS: 10, lo: 1, hi: 2.5 };
    // keepalive 8: kicked at 25 s iff M < 1.25 (10/8); 20/8 = 2.5 is the range's end
    expect(cutsOf(h, 8, 60)).toEqual([1.25]);
    expect(cutsOf(h, 23, 60).map((c) => Math.round(c * 1000) / 1000)).toEqual([1.304, 1.739]);
    // the 4th tick (55 s) is known at 56 s: inside a 60 s wait, not inside 55 s
    expect(revealS(10, 4)).toBe(56);
    expect(cutsOf(h, 31, 60).at(-1)).toBeCloseTo(40 / 31, 9);
    expect(cutsOf(h, 31, 55)).toEqual([]);
  });

  it("the default plan (max-wait 60 s, samples 1, 2, 4) reaches the limit of the tick model for every Q of the prior", () => {
    expect(PLAN).not.toBeNull();
    const plan = PLAN as NonNullable<typeof PLAN>;
    expect(plan.horizonS).toBe(60);
    expect(plan.keepalives.length).toBeLessThanOrEqual(32);
    // wherever every keepalive at once would pin M in [1, 2.5), the plan's keepalives pin it
    for (const h of plan.prior) {
      for (let m = 1.005; m < 2.5; m += 0.01) {
        const piece = (ks: readonly number[]) => {
          let lo = 0;
          let hi = Number.POSITIVE_INFINITY;
          for (const k of ks)
            for (const c of cutsOf({ ...h, lo: 0, hi: 10 }, k, plan.horizonS)) {
              if (c <= m) lo = Math.max(lo, c);
              else hi = Math.min(hi, c);
            }
          return hi - lo;
        };
        const best = bestWidth(h.tickS, m, plan.horizonS);
        if (best <= MULTIPLIER_PIN + 1e-9)
          expect(piece([...plan.keepalives, 1, 2, 4]), `Q ${h.tickS}, M ${m}`).toBeLessThanOrEqual(
            MULTIPLIER_PIN + 1e-9,
          );
      }
    }
  });

  it("a session stops telling once its cuts are revealed or fall outside every hypothesis left", () => {
    const h = [{ tickS: 10, lo: 1.25, hi: 1.333 }];
    // keepalive 31: 40/31 = 1.29 is still to come (56 s), 30/31 < 1.25 is not a cut any more
    expect(stillTells(h, 31, 40, 60)).toBe(true);
    expect(stillTells(h, 31, 56.5, 60)).toBe(false);
    // keepalive 10: its cuts (1, 2) lie outside [1.25, 1.333)
    expect(stillTells(h, 10, 0, 60)).toBe(false);
    // a pinned hypothesis needs nothing more
    expect(stillTells([{ tickS: 10, lo: 1.25, hi: 1.29 }], 31, 40, 60)).toBe(false);
    expect(stillTells([], 31, 0, 60)).toBe(false);
  });

  it("hypotheses: a kick may come late (by the fit's late tolerance) but not early; a wait spares only kicks due 1 s before", () => {
    const h = { tickS: 10, lo: 1, hi: 2.5 };
    expect(narrow(h, [{ keepalive: 8, kickAfter: 35.6, waited: 35.6 }])).toEqual({
      tickS: 10,
      lo: 1.25,
      hi: 2.5,
    });
    expect(narrow(h, [{ keepalive: 8, kickAfter: 34.5, waited: 34.5 }])).toBeNull();
    expect(narrow(h, [{ keepalive: 8, kickAfter: 36.2, waited: 36.2 }])).toBeNull();
    // not kicked 35.9 s after CONNECT: spared the 25 s kick, but the 35 s one may still be on its way
    expect(narrow(h, [{ keepalive: 10, kickAfter: null, waited: 35.9 }])?.lo).toBe(1);
    expect(narrow(h, [{ keepalive: 10, kickAfter: null, waited: 36.1 }])?.lo).toBe(2);
  });

  it("spec-like and mosquitto-like kicks leave no tick hypothesis; NanoMQ's leave its Q", () => {
    const spec = [1, 2, 4].map((k) => ({ keepalive: k, kickAfter: 1.5 * k, waited: 1.5 * k }));
    expect(tickHypotheses(60, spec)).toEqual([]);
    // mosquitto: the same keepalive kicked at different delays (a 6 s sweep)
    const sweep = [
      { keepalive: 1, kickAfter: 4.2, waited: 4.2 },
      { keepalive: 1, kickAfter: 6.1, waited: 6.1 },
    ];
    expect(tickHypotheses(60, sweep)).toEqual([]);
    const nanomq = [1, 2, 4].map((k) => ({ keepalive: k, kickAfter: 25.02, waited: 25.02 }));
    expect(tickHypotheses(60, nanomq)).toEqual([{ tickS: 10, lo: 0.95, hi: 2.5 }]);
    // a Q off the whole-second grid comes from the earliest kick: Q 2.5 s kicks keepalive 1 at 6.25 s
    const offGrid = [{ keepalive: 4, kickAfter: 8.75, waited: 8.75 }];
    expect(tickHypotheses(60, offGrid).map((h) => h.tickS)).toContain(2.5);
  });

  it("NanoMQ's shipped settings (Q 10 s, M 1.25) and its code default (M 1.5): pinned within 60 s", () => {
    for (const m of [1.25, 1.5]) {
      const r = simulateCheck(PLAN, { tickS: 10, multiplier: m });
      expect(r.inferred.model).toBe("tick");
      expect(r.inferred.tickS).toBe(10);
      expect(r.inferred.open).toEqual([]);
      expect(Math.abs((r.inferred.multiplier as number) - m)).toBeLessThanOrEqual(0.05);
      const [lo, hi] = r.inferred.multiplierRange as [number, number];
      expect(lo).toBeLessThanOrEqual(m);
      expect(hi).toBeGreaterThan(m);
      expect(hi - lo).toBeLessThanOrEqual(MULTIPLIER_PIN + 1e-9);
      expect(r.durationS).toBeLessThanOrEqual(60);
    }
    // M 1.25 needs the 4th tick: keepalive 31 kicked at 55 s (M < 40/31 = 1.29)
    expect(simulateCheck(PLAN, { tickS: 10, multiplier: 1.25 }).inferred.multiplierRange).toEqual([
      1.25, 1.29,
    ]);
    // without the plan: 25 s for keepalive 1, 2 and 4 says only M < 2.5
    expect(simulateCheck(null, { tickS: 10, multiplier: 1.25 }).inferred.multiplierRange).toEqual([0, 2.5]);
  });

  it("kicks seen up to 0.6 s late (a loaded host stalls the probe): still Q 10 s, M 1.25 ± 0.05", () => {
    // every third session's close is seen 0.6 s late, the others 10 ms
    const late = (k: number, start: number) => (Math.round(k + start * 40) % 3 === 0 ? 0.6 : 0.01);
    const r = simulateCheck(PLAN, { tickS: 10, multiplier: 1.25 }, { latencyS: late });
    expect(r.inferred).toMatchObject({ model: "tick", tickS: 10, open: [] });
    expect(Math.abs((r.inferred.multiplier as number) - 1.25)).toBeLessThanOrEqual(0.05);
    expect(r.durationS).toBeLessThanOrEqual(60);
  });

  it("for a grid of true (Q, M): pinned within the horizon wherever the tick model allows it, never a wrong range", () => {
    let pinnable = 0;
    for (const q of [1, 3, 5, 10]) {
      for (let i = 0; i < 30; i++) {
        // on the 0.05 grid and just off it (a value between two cuts)
        for (const m of [1 + i * 0.05, 1.013 + i * 0.05]) {
          // reviewed every 0.5 s (half the probe's rate, to keep this test cheap): decisions only come later
          const r = simulateCheck(PLAN, { tickS: q, multiplier: m }, { stepS: 0.5 });
          const what = `Q ${q}, M ${m.toFixed(3)}`;
          expect(r.inferred.model, what).toBe("tick");
          expect(r.inferred.tickS, what).toBe(q);
          const [lo, hi] = r.inferred.multiplierRange as [number, number | null];
          // (the range is reported to 3 decimals)
          expect(lo, what).toBeLessThanOrEqual(m + 5e-4);
          expect(hi === null || hi > m - 5e-4, what).toBe(true);
          expect(r.durationS, what).toBeLessThanOrEqual(60 + SPREAD_S);
          if (bestWidth(q, m, 60) > MULTIPLIER_PIN + 1e-9) continue;
          pinnable++;
          expect(r.inferred.open, what).toEqual([]);
          expect(Math.abs((r.inferred.multiplier as number) - m), what).toBeLessThanOrEqual(0.05);
        }
      }
    }
    // the grid is mostly pinnable within a minute (199 of 240 points): the checks above are not vacuous
    expect(pinnable).toBeGreaterThan(180);
  });

  it("max-wait bounds the plan: at 30 s every planned session waits at most 30 s", () => {
    const short = keepalivePlan({ maxWaitMs: 30_000, keepaliveSamples: [1, 2, 4] });
    expect(short?.horizonS).toBe(30);
    for (const k of short?.keepalives ?? []) {
      for (const h of short?.prior ?? []) {
        for (const c of cutsOf(h, k, 30))
          expect(revealS(h.tickS, Math.round((c * k) / h.tickS))).toBeLessThanOrEqual(30);
      }
    }
    const r = simulateCheck(short, { tickS: 10, multiplier: 1.25 }, { maxWaitS: 30 });
    // Q 10 s within 30 s: one tick's worth, keepalive 8 and 7 bound M to [1.25, 1.43)
    expect(r.inferred.multiplierRange).toEqual([1.25, 1.429]);
    // and a max-wait below the first possible tick plans nothing
    expect(keepalivePlan({ maxWaitMs: 3000, keepaliveSamples: [1] })).toBeNull();
  });

  it("other brokers are fitted as without the plan: its sessions stop at the first kicks and are dropped", () => {
    const spec = (k: number) => 1.5 * k;
    // mosquitto 2.0: checked every 6 s, kicking when more than ⌊1.5·k⌋ s have passed (whole seconds)
    const mosquitto = (k: number, start: number) => {
      const due = start + Math.floor(1.5 * k) + 0.001;
      return Math.ceil((due - 0.37) / 6) * 6 + 0.37 - start;
    };
    for (const broker of [spec, mosquitto]) {
      const without = simulateCheck(null, broker);
      const withPlan = simulateCheck(PLAN, broker);
      expect(withPlan.kept).toBe(0);
      expect(withPlan.inferred).toEqual(without.inferred);
      expect(withPlan.durationS).toBe(without.durationS);
    }
  });

  it("the report names the sessions that set the ends of the fitted range", () => {
    const obs = [
      { keepalive: 16, kickAfter: null, waited: 44 },
      { keepalive: 24, kickAfter: 55.01, waited: 55.01 },
      { keepalive: 31, kickAfter: 55.02, waited: 55.02 },
      { keepalive: 4, kickAfter: 25, waited: 25 },
    ];
    expect(multiplierBounds(10, [1.25, 1.29], obs)).toEqual({
      lo: { multiplier: 1.25, keepalives: [16, 24] },
      hi: { multiplier: 1.29, keepalives: [31] },
    });
  });

  it("designs nothing when every hypothesis is pinned", () => {
    expect(designKeepalives([{ tickS: 1, lo: 1.25, hi: 1.3 }], 60)).toEqual([]);
  });
});

it("stillTells agrees with cutsOf", () => {
  for (const tickS of [1, 3, 10])
    for (const [lo, hi] of [
      [1, 2.5],
      [1.25, 1.3],
      [0.95, 2.55],
      [1.2, 1.21],
    ] as const)
      for (let k = 1; k <= 40; k++)
        for (const from of [0, 3.5, 25, 35.9, 36, 36.1, 56, 59]) {
          const h = { tickS, lo, hi: hi + 0.1 };
          expect(stillTells([h], k, from, 60), `${tickS} ${lo} ${k} ${from}`).toBe(
            cutsOf(h, k, 60, from).length > 0,
          );
        }
});
