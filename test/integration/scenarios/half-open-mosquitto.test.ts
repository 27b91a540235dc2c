import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import { halfOpenOutcome } from "../../../src/scenarios/half-open.js";
import { DEFAULT_SCENARIO_OPTIONS } from "../../../src/scenarios/types.js";
import {
  brokerForDescribe,
  externalAndEmbedded,
  reproducedFirst,
} from "../../helpers/external-and-embedded.js";
import { mosquittoAvailable, startMosquitto } from "../../helpers/mosquitto.js";
import { closedAfterArgs } from "../../helpers/scenario-check.js";

const PROFILE = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" as const };
/** keepalive 2: mosquitto ends the half-open connection (3, 9] s after the last PINGREQ it got. */
const OPTIONS = { ...DEFAULT_SCENARIO_OPTIONS, keepaliveS: 2 };

describe.runIf(mosquittoAvailable())("half-open against the real mosquitto (--broker, --broker-log)", () => {
  const broker = brokerForDescribe(() => startMosquitto());

  it("the broker's keepalive ends the silent connection in the profile's window, the same line as embedded", async () => {
    const run = { names: ["half-open" as const], profile: PROFILE, options: OPTIONS };
    const [external, embedded] = await externalAndEmbedded(run, broker());
    for (const s of reproducedFirst(external, embedded)) {
      expect(s?.signatures.map((g) => g.id)).toEqual(["keepalive-timeout"]);
      const closed = closedAfterArgs(s);
      expect(Number(closed?.afterS)).toBeGreaterThan(3 - 0.6);
      expect(Number(closed?.afterS)).toBeLessThanOrEqual(9 + 0.6);
      expect(s?.clients.find((r) => r.clientId === halfOpenOutcome.of(s)?.clientId)?.closedBy).not.toBe(
        "broker",
      );
    }
    expect(broker().log()).toMatch(/Client mqdiag-half-open-healthy-1 has exceeded timeout, disconnecting\./);
  }, 40_000);
});
