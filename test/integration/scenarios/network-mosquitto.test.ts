import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import type { KeepaliveRace } from "../../../src/scenarios/network-outcome.js";
import { raceOutcome as raceKind } from "../../../src/scenarios/network-race-run.js";
import {
  DEFAULT_SCENARIO_OPTIONS,
  type ScenarioName,
  type ScenarioRun,
} from "../../../src/scenarios/types.js";
import { brokerForDescribe, externalAndEmbedded, raceOutcome } from "../../helpers/external-and-embedded.js";
import { mosquittoAvailable, startMosquitto } from "../../helpers/mosquitto.js";

/**
 * network-stall and pingresp-lost against the real mosquitto (--broker, --broker-log), keepalive 2 s, each client
 * behind its own relay: the outcome (who gave up first, how the old connection ended, the lines) agrees with the
 * embedded mosquitto profile's. Keepalive 2 is even: MQTT.js gives up 3 s after its last PINGRESP, mosquitto's
 * sweep only once 4 whole seconds have passed since the PINGREQ (now_s − last_s > 3), so the client is first and
 * its reconnect takes over (`already connected, closing old connection`).
 */
const PROFILE = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" as const };
const OPTIONS = { ...DEFAULT_SCENARIO_OPTIONS, keepaliveS: 2 };
const NAMES: ScenarioName[] = ["network-stall", "pingresp-lost"];

const outcome = (run: ScenarioRun) =>
  raceOutcome(run, (r) => [...new Set(r.lines.map((l) => l.id))].filter((id) => id !== "client-disconnect"));

describe.runIf(mosquittoAvailable())("network-stall and pingresp-lost against the real mosquitto", () => {
  const broker = brokerForDescribe(() => startMosquitto());

  it("keepalive 2: the client gives up first and its reconnect takes over, as the embedded profile says", async () => {
    const run = { names: NAMES, profile: PROFILE, options: OPTIONS };
    const [external, embedded] = await externalAndEmbedded(run, broker(), "in turn");
    for (const s of external.scenarios)
      expect({ name: s.name, failed: s.checks.filter((c) => !c.ok) }).toEqual({ name: s.name, failed: [] });
    expect(outcome(external)).toEqual([
      {
        name: "network-stall",
        verdict: "reproduced",
        first: "client",
        ended: "takeover",
        lines: ["takeover"],
      },
      {
        name: "pingresp-lost",
        verdict: "reproduced",
        first: "client",
        ended: "takeover",
        lines: ["takeover"],
      },
    ]);
    expect(outcome(external)).toEqual(outcome(embedded));
    // MQTT.js's rule on a real socket: 3 s after its last PINGRESP (network-stall) or its CONNACK (pingresp-lost)
    for (const s of external.scenarios) {
      const r = raceKind.of(s) as KeepaliveRace;
      expect(Math.abs((r.seen.clientGaveUpAt ?? 0) - (r.predicted.clientGivesUpAt ?? 0))).toBeLessThan(100);
    }
    const takeover = external.scenarios[0]?.signatures.find((g) => g.id === "takeover");
    expect(takeover?.line).toContain("mqdiag-network-stall-1 already connected, closing old connection");
  }, 60_000);
});
