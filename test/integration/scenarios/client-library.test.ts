import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import { clientLibraryOutcome } from "../../../src/scenarios/client-library.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import type { ScenarioOptions, ScenarioResult } from "../../../src/scenarios/types.js";
import { realLibraryAvailable } from "../../helpers/real-clients.js";

/**
 * client-library on the embedded nanomq profile. The write-up's "MQTT-C sends heartbeats late": the REAL MQTT-C
 * 1.1.6 (real time) at keepalive 3 against Q 1 s, M 1.25 — its application syncing every 1.5 s, it first pings 6 s
 * after CONNECT, after NanoMQ's kick at 5.5 s (4 silent ticks from 1.5 s); syncing every 100 ms it pings every
 * ~4 s and survives unless NanoMQ's ticks fall where its PINGREQs slide (0.1–0.2 s past each second): ~1 CONNECT
 * phase in 10 is kicked, at 7.5 s at the earliest (measured 1 in 20 within 30 s: test/integration/nanomq/
 * mqtt-c-kick.test.ts). The default (no --client) is MQTT.js's model on the scaled clock, as `scenario all` runs it.
 */
const Q1: ProfileOptions = { ...DEFAULT_PROFILE_OPTIONS, retryIntervalMs: 1000, keepaliveMultiplier: 1.25 };

async function run(profile: ProfileOptions, options: ScenarioOptions): Promise<ScenarioResult> {
  const r = await runScenarios({ names: ["client-library"], profile, options, timeScale: "auto" });
  const s = r.scenarios[0];
  if (!s) throw new Error("no result");
  return s;
}

const subject = (s: ScenarioResult) => s.clients.find((c) => !c.control);

describe("client-library on the embedded broker", () => {
  it("default: MQTT.js's model on a scaled clock survives keepalive 10 at NanoMQ's shipped settings", async () => {
    const s = await run(DEFAULT_PROFILE_OPTIONS, { keepaliveS: 10, clients: 1 });
    expect(s.verdict).toBe("reproduced");
    expect(s.eventTime).toBeDefined();
    expect(subject(s)?.library).toEqual({ id: "mqttjs", version: "5.6–5.16", real: false });
    const o = clientLibraryOutcome.of(s);
    expect(o?.forecast.firstToAct).toBe("nobody");
    expect(o?.seen.first).toBe("nobody");
    expect(s.signatures.filter((g) => g.id === "keepalive-timeout")).toEqual([]);
  });

  it("a library that does not run here plays its model: PubSubClient at KA 3 pings every 4.5 s and is kicked", async () => {
    const s = await run(Q1, {
      keepaliveS: 3,
      clients: 1,
      clientLibrary: "pubsubclient",
      loopIntervalMs: 1500,
    });
    expect(subject(s)?.library?.real).toBe(false);
    const o = clientLibraryOutcome.of(s);
    expect(o?.forecast.firstToAct).toBe("broker");
    expect(o?.seen.first).toBe("broker");
    expect(s.verdict).toBe("reproduced");
    expect(s.signatures.map((g) => g.id)).toContain("keepalive-timeout");
  });
});

const mqttC = await realLibraryAvailable("mqtt-c");

describe.runIf(mqttC)("client-library with the real MQTT-C 1.1.6, keepalive 3, Q 1 s, M 1.25", () => {
  it.concurrent("syncing every 1.5 s it is kicked 5.5 s after CONNECT, with the kick lines", async () => {
    const s = await run(Q1, { keepaliveS: 3, clients: 1, clientLibrary: "mqtt-c", loopIntervalMs: 1500 });
    expect(s.timeScale).toBe(1);
    expect(subject(s)?.library).toMatchObject({ id: "mqtt-c", real: true });
    expect(s.verdict).toBe("reproduced");
    const o = clientLibraryOutcome.of(s);
    expect(o?.seen.first).toBe("broker");
    // NanoMQ's tick: 1.5 s + 4 × 1 s after CONNECT (loaded machine: the kick is the broker's own, on its clock)
    expect(o?.seen.kickedAtMs).toBeGreaterThanOrEqual(5400);
    expect(o?.seen.kickedAtMs).toBeLessThanOrEqual(6100);
    expect(s.signatures.map((g) => g.id)).toEqual(["keepalive-timeout", "recv-error", "parse-error"]);
  });

  it.concurrent("syncing every 100 ms it pings every ~4 s: survives 12 s but in ~1 phase in 10", async () => {
    const s = await run(Q1, { keepaliveS: 3, clients: 1, clientLibrary: "mqtt-c", loopIntervalMs: 100 });
    expect(s.verdict).toBe("reproduced");
    const o = clientLibraryOutcome.of(s);
    expect(o?.forecast).toMatchObject({ firstToAct: "broker", dependsOnPhase: true });
    expect(o?.forecast.endsShare).toBeLessThan(0.15);
    // this run's phase decides; kicked, it is kicked within the forecast's window
    if (o?.seen.first === "broker") expect(o.seen.kickedAtMs).toBeGreaterThanOrEqual(7400);
    else expect(o?.seen.first).toBe("nobody");
    for (const gap of o?.seen.pingGapsMs ?? []) expect(gap).toBeLessThanOrEqual(4300);
    expect(o?.seen.pingGapsMs.length).toBeGreaterThanOrEqual(2);
  }, 40_000);
});
