import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import { latencyOutcome } from "../../../src/scenarios/high-latency.js";
import { DEFAULT_SCENARIO_OPTIONS } from "../../../src/scenarios/types.js";
import {
  brokerForDescribe,
  externalAndEmbedded,
  reproducedFirst,
} from "../../helpers/external-and-embedded.js";
import { mosquittoAvailable, startMosquitto } from "../../helpers/mosquitto.js";

const PROFILE = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" as const };
/**
 * keepalive 2 (jitter ± 0.1 s): mosquitto survives gaps of ⌊3⌋ s, a one-way delay of 0.5 s, as MQTT.js does; a
 * gap of 9 s or more (delay ≥ 3.5 s) is kicked whatever the sweep phase, so the late client runs at 3.76 s.
 */
const OPTIONS = { ...DEFAULT_SCENARIO_OPTIONS, keepaliveS: 2 };

describe.runIf(mosquittoAvailable())(
  "high-latency against the real mosquitto (--broker, --broker-log)",
  () => {
    const broker = brokerForDescribe(() => startMosquitto());

    it("the survivor lives, the late client is kicked, as on the embedded profile", async () => {
      const run = { names: ["high-latency" as const], profile: PROFILE, options: OPTIONS };
      const [external, embedded] = await externalAndEmbedded(run, broker());
      for (const s of reproducedFirst(external, embedded)) {
        expect(latencyOutcome.of(s)?.live.map((c) => [c.latencyMs, c.jitterMs, c.expected, c.seen])).toEqual([
          [240, 100, "survives", "survives"],
          [3760, 100, "broker-kicks", "broker-kicks"],
        ]);
        expect(s?.signatures.map((g) => g.id)).toEqual(["keepalive-timeout"]);
      }
      expect(broker().log()).toMatch(
        /Client mqdiag-high-latency-late-1 has exceeded timeout, disconnecting\./,
      );
    }, 60_000);
  },
);
