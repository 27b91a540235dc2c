import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import { largestSafeIntervalMs, predictKickAt } from "../../../src/keepalive/predict.js";

const mosquitto = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" as const };
const kickS = (k: number, firstSweepS: number, lastInboundS: number) => {
  const at = predictKickAt(mosquitto, {
    keepaliveMs: k * 1000,
    connectAt: lastInboundS * 1000,
    sweepPhaseMs: firstSweepS * 1000,
  });
  return at === null ? null : at / 1000;
};

/**
 * The model against what the real mosquitto 2.0.11 does (docs/mosquitto-measured.md; the live proof is
 * test/integration/mosquitto-real.test.ts): a sweep at start-up and every 6 s after, on whole seconds, kicking when
 * `now_s - last_in_s > ⌊3k/2⌋`. The expected seconds are worked out by hand from that rule.
 */
describe("mosquitto model vs the facts measured on the real broker", () => {
  it.each([
    // k, first sweep s, last inbound s → kick s
    [1, 0, 0, 6], // earliest kickable second 2, next sweep 6
    [1, 0, 4.9, 6], // just over 1 s of silence is enough for keepalive 1
    [3, 0, 1.8, 6], // ⌊4.5⌋ = 4: gone after 4.2 s, before 1.5 × 3 s (measured: 4.27 s)
    [3, 0, 2.0, 12], // earliest second 7 misses the sweep at 6
    [2, 3, 3.5, 9], // sweeps at 3, 9, …: earliest second 7
    [5, 2, 0.2, 8], // ⌊7.5⌋ = 7: earliest second 8, a sweep
    [20, 0, 0, 36], // earliest second 31
  ])("keepalive %d s, first sweep at %d s, last packet at %d s: kicked at %d s", (k, s0, last, expected) => {
    expect(kickS(k, s0, last)).toBe(expected);
  });

  it("never kicks keepalive 0", () => {
    expect(kickS(0, 0, 0)).toBeNull();
  });

  it("allows ⌊1.5k⌋ whole seconds of silence and kicks within (⌊1.5k⌋, ⌊1.5k⌋ + 6] s of the last packet", () => {
    for (let k = 1; k <= 20; k++) {
      const limitS = Math.floor((3 * k) / 2);
      expect(largestSafeIntervalMs(mosquitto, k * 1000)).toBe(limitS * 1000);
      for (let s0 = 0; s0 < 6; s0++)
        for (let lastMs = s0 * 1000; lastMs < s0 * 1000 + 13_000; lastMs += 250) {
          const silenceS = (kickS(k, s0, lastMs / 1000) ?? 0) - lastMs / 1000;
          expect(silenceS, `k=${k} s0=${s0} last=${lastMs}`).toBeGreaterThan(limitS);
          expect(silenceS, `k=${k} s0=${s0} last=${lastMs}`).toBeLessThanOrEqual(limitS + 6);
        }
    }
  });
});
