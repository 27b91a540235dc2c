import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import type { KeepaliveRace } from "../../../src/scenarios/network-outcome.js";
import { raceOutcome } from "../../../src/scenarios/network-race-run.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import type { ScenarioOptions, ScenarioResult } from "../../../src/scenarios/types.js";
import { realLibraryAvailable } from "../../helpers/real-clients.js";

/**
 * network-stall and pingresp-lost with `--client`: the race follows the library's own model. A model-only library
 * runs on the scaled clock (auto); a real one on real time (×1), so those runs keep to small keepalives. Timings
 * are the scenario's own checks (the give-up against the library's model, the kick against NanoMQ's, ± the
 * scale's tolerance, and for a real library its measured slack).
 */
const Q1: ProfileOptions = { ...DEFAULT_PROFILE_OPTIONS, retryIntervalMs: 1000, keepaliveMultiplier: 1.25 };

async function run(name: string, profile: ProfileOptions, options: ScenarioOptions): Promise<ScenarioResult> {
  const r = await runScenarios({ names: [name], profile, options, timeScale: "auto" });
  const s = r.scenarios[0];
  if (!s) throw new Error("no result");
  return s;
}

const race = (s: ScenarioResult): KeepaliveRace => raceOutcome.of(s) as KeepaliveRace;
const failed = (s: ScenarioResult) => s.checks.filter((c) => !c.ok);
const subject = (s: ScenarioResult) => s.clients.find((c) => !c.control);
const ids = (s: ScenarioResult) =>
  s.signatures.filter((g) => !g.clientId?.endsWith("control")).map((g) => g.id);

describe("the race with a library's model (scaled clock)", () => {
  it("network-stall, Paho Java's model at KA 4: it gives up 2 × KA after its unanswered PINGREQ, before NanoMQ's kick; its reconnect takes over", async () => {
    const s = await run("network-stall", DEFAULT_PROFILE_OPTIONS, {
      keepaliveS: 4,
      clients: 1,
      clientLibrary: "paho-java",
    });
    expect({ verdict: s.verdict, failed: failed(s) }).toEqual({ verdict: "reproduced", failed: [] });
    expect(s.eventTime).toBeDefined();
    expect(subject(s)?.library).toEqual({ id: "paho-java", version: "1.2.x", real: false });
    const r = race(s);
    expect(r.library).toMatchObject({ id: "paho-java", real: false });
    expect(r.forecast).toMatchObject({ first: "client", oldConnectionEnds: "takeover" });
    // CONNACK + 4 s: PINGREQ (answered); the stall at 6 s; PINGREQ at 8 s unanswered; gives up KA later, 12 s
    expect(r.forecast.clientGivesUpAt).toBe(12_000);
    expect(r.seen).toMatchObject({ first: "client", oldConnectionEndedBy: "takeover", brokerKickedAt: null });
    expect(ids(s)).toEqual(["takeover", "recv-error", "parse-error"]);
  });

  it("pingresp-lost, ESP-MQTT's model at KA 4: it gives up KA/2 after its first PINGREQ; the broker saw it alive", async () => {
    const s = await run("pingresp-lost", DEFAULT_PROFILE_OPTIONS, {
      keepaliveS: 4,
      clients: 1,
      clientLibrary: "esp-mqtt",
    });
    expect({ verdict: s.verdict, failed: failed(s) }).toEqual({ verdict: "reproduced", failed: [] });
    const r = race(s);
    expect(r.forecast).toMatchObject({
      first: "client",
      oldConnectionEnds: "takeover",
      clientGivesUpAt: 4000,
    });
    expect(r.seen).toMatchObject({ first: "client", oldConnectionEndedBy: "takeover", brokerKickedAt: null });
    expect(subject(s)?.clientTimeoutAt).not.toBeNull();
  });
});

const mqttC = await realLibraryAvailable("mqtt-c");

describe("the race with a real library (real time)", () => {
  it.runIf(mqttC)(
    "network-stall, the real MQTT-C at KA 2, Q 1 s, M 1.25: it never gives up, NanoMQ kicks it",
    async () => {
      const s = await run("network-stall", Q1, {
        keepaliveS: 2,
        clients: 1,
        clientLibrary: "mqtt-c",
        loopIntervalMs: 100,
      });
      expect({ verdict: s.verdict, failed: failed(s) }).toEqual({ verdict: "reproduced", failed: [] });
      expect(s.timeScale).toBe(1);
      expect(subject(s)?.library).toMatchObject({ id: "mqtt-c", version: "1.1.6", real: true });
      const r = race(s);
      expect(r.forecast).toMatchObject({
        first: "broker",
        clientGivesUpAt: null,
        oldConnectionEnds: "keepalive",
      });
      expect(r.seen).toMatchObject({
        first: "broker",
        clientGaveUpAt: null,
        oldConnectionEndedBy: "keepalive",
      });
      // the last packet before the stall at 3 s is its CONNECT or its first PINGREQ (KA + 1 s after it, on whole
      // seconds: before or after 3 s by the phase): 3 ticks of 1 s later, 4.5 s or ~6.5 s after the start (± 0.6 s)
      expect(r.seen.brokerKickedAt).toBeGreaterThan(3900);
      expect(r.seen.brokerKickedAt).toBeLessThan(7600);
      expect(ids(s)).toEqual(["keepalive-timeout", "recv-error", "parse-error"]);
    },
    30_000,
  );

  it.runIf(mqttC)(
    "pingresp-lost, the real MQTT-C at KA 3, NanoMQ's shipped Q 10 s: it never gives up and keeps pinging every ~4 s, each tick sees one: nobody acts",
    async () => {
      const s = await run("pingresp-lost", DEFAULT_PROFILE_OPTIONS, {
        keepaliveS: 3,
        clients: 1,
        clientLibrary: "mqtt-c",
        loopIntervalMs: 100,
      });
      expect({ verdict: s.verdict, failed: failed(s) }).toEqual({ verdict: "reproduced", failed: [] });
      expect(s.timeScale).toBe(1);
      const r = race(s);
      expect(r.forecast).toMatchObject({ first: "none", clientGivesUpAt: null, oldConnectionEnds: "open" });
      expect(r.seen).toMatchObject({
        first: null,
        clientGaveUpAt: null,
        brokerKickedAt: null,
        oldConnectionEndedBy: "open",
      });
      // no kick, no takeover (stopping the client at the end may leave its close lines)
      expect(ids(s)).not.toContain("keepalive-timeout");
      expect(ids(s)).not.toContain("takeover");
    },
    40_000,
  );
});
