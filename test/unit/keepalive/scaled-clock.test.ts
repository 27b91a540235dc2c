import { describe, expect, it } from "vitest";
import { createKeepaliveModel } from "../../../src/broker/keepalive/index.js";
import { scaledClock } from "../../../src/core/clock.js";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";

/** The nanomq model on real (50× scaled) timers: the fixed tick schedule holds, lateness does not accumulate. */
describe("nanomq model on a scaled clock", () => {
  it("Q=1 s, M=1.25, KA=20: kicked 1.5 + 26 = 27.5 s after CONNECT (±0.1 s early, +2 s late)", async () => {
    const clock = scaledClock(50);
    const model = createKeepaliveModel(clock, { ...DEFAULT_PROFILE_OPTIONS, retryIntervalMs: 1000 });
    const ticks: number[] = [];
    try {
      const connectAt = clock.now();
      const kickAt = await new Promise<number>((resolve) => {
        model.watch(20_000, { onKick: (k) => resolve(k.at), onTick: (t) => ticks.push(t.at - connectAt) });
      });
      expect(kickAt - connectAt).toBeGreaterThan(27_400);
      expect(kickAt - connectAt).toBeLessThan(29_500);
      expect(ticks).toHaveLength(27);
      // each tick k at 1.5 + k s, never drifting: the last tick is as close to its slot as the first
      ticks.forEach((at, k) => {
        expect(at).toBeGreaterThan(1500 + k * 1000 - 100);
      });
    } finally {
      model.close();
    }
  });
});
