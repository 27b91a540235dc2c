import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import { clientLibraryOutcome } from "../../../src/scenarios/client-library.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import type { ScenarioOptions, ScenarioResult } from "../../../src/scenarios/types.js";
import { realLibraryAvailable } from "../../helpers/real-clients.js";

/**
 * client-library under a broker that tells MQTT 5 clients keepalive 2 s (spec profile, --server-keepalive 2), the
 * subject asking 60 s: a library that honours Server Keep Alive pings every 2 s and survives; one that ignores it
 * (the real Paho Python 1.6.1, measured) is kicked 1.5 × 2 s after its CONNECT; one that speaks 3.1.1 only (MQTT-C,
 * its model) is never told, and keeps 60 s.
 */
const TOLD: ProfileOptions = {
  ...DEFAULT_PROFILE_OPTIONS,
  profile: "spec",
  serverKeepalive: { rule: "impose", seconds: 2 },
};

async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const r = await runScenarios({ names: ["client-library"], profile: TOLD, options, timeScale: "auto" });
  const s = r.scenarios[0];
  if (!s) throw new Error("no result");
  return s;
}

const pahoPython = await realLibraryAvailable("paho-python");

describe("client-library under Server Keep Alive", () => {
  it.concurrent("the real MQTT.js 5 honours it: pings every 2 s, survives", async () => {
    const s = await run({ keepaliveS: 60, clients: 1, clientLibrary: "mqttjs" });
    const o = clientLibraryOutcome.of(s);
    expect(o?.forecast.keepalive).toEqual({ toldS: 2, pingsWithMs: 2000, brokerWatchesMs: 2000 });
    expect(o?.forecast.firstToAct).toBe("nobody");
    expect(o?.seen.first).toBe("nobody");
    expect(o?.seen.pingGapsMs.length).toBeGreaterThanOrEqual(3);
    // MQTT.js pings KA after its last PINGRESP, on real time here: 2 s ± 0.3 s
    for (const gap of o?.seen.pingGapsMs ?? []) expect(Math.abs(gap - 2000)).toBeLessThanOrEqual(300);
    expect(s.verdict).toBe("reproduced");
  });

  it.runIf(pahoPython).concurrent(
    "the real Paho Python ignores it: no PINGREQ, kicked 3 s after CONNECT",
    async () => {
      const s = await run({ keepaliveS: 60, clients: 1, clientLibrary: "paho-python" });
      const o = clientLibraryOutcome.of(s);
      expect(o?.library.real).toBe(true);
      expect(o?.forecast.keepalive).toEqual({ toldS: 2, pingsWithMs: 60_000, brokerWatchesMs: 2000 });
      expect(o?.seen.first).toBe("broker");
      expect(o?.seen.pingGapsMs).toEqual([]);
      expect(o?.seen.kickedAtMs).toBeGreaterThanOrEqual(3000);
      expect(o?.seen.kickedAtMs).toBeLessThanOrEqual(3200);
      expect(s.signatures.map((g) => g.id)).toContain("keepalive-timeout");
      expect(s.verdict).toBe("reproduced");
    },
  );

  it.concurrent("a 3.1.1-only library's model (PubSubClient) is never told: the broker watches its own 60 s", async () => {
    const s = await run({ keepaliveS: 5, clients: 1, clientLibrary: "pubsubclient" });
    const o = clientLibraryOutcome.of(s);
    expect(o?.library.real).toBe(false);
    expect(o?.forecast.keepalive).toEqual({ toldS: null, pingsWithMs: 5000, brokerWatchesMs: 5000 });
    expect(o?.forecast.firstToAct).toBe("nobody");
    expect(s.verdict).toBe("reproduced");
  });
});
