import { describe, expect, it } from "vitest";
import {
  mosquittoAllowedSilenceS,
  mosquittoKickSecond,
} from "../../../src/broker/profiles/mosquitto-measured.js";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import { largestSafeIntervalMs, predictKickAt } from "../../../src/keepalive/predict.js";

const mosquitto = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" as const };

/** The measured facts about the real mosquitto 2.0.11 and the model's arithmetic must never disagree. */
describe("mosquitto model vs the facts measured on the real broker", () => {
  it("same kick second for every keepalive 1–20 s, last packet and first sweep", () => {
    for (let k = 1; k <= 20; k++) {
      expect(largestSafeIntervalMs(mosquitto, k * 1000)).toBe(mosquittoAllowedSilenceS(k) * 1000);
      for (let s0 = 0; s0 < 6; s0++) {
        for (let lastMs = s0 * 1000; lastMs < s0 * 1000 + 13_000; lastMs += 250) {
          const at = predictKickAt(mosquitto, {
            keepaliveMs: k * 1000,
            connectAt: lastMs,
            sweepPhaseMs: s0 * 1000,
          });
          expect(at, `k=${k} s0=${s0} last=${lastMs}`).toBe(
            (mosquittoKickSecond(lastMs / 1000, k, s0) ?? 0) * 1000,
          );
        }
      }
    }
  });
});
