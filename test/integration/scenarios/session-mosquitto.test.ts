import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import { stormOutcome } from "../../../src/scenarios/reconnect-storm.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import { DEFAULT_SESSION_OPTIONS } from "../../../src/scenarios/session-options.js";
import { resumeOutcome } from "../../../src/scenarios/session-resume.js";
import {
  DEFAULT_SCENARIO_OPTIONS,
  type ScenarioName,
  type ScenarioResult,
} from "../../../src/scenarios/types.js";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../../helpers/mosquitto.js";

/**
 * session-resume and reconnect-storm against the real mosquitto 2.0.11 (--broker, --broker-log), keepalive 1: the
 * subscriber is kicked by mosquitto's sweep ((1, 7] s), 10 messages per QoS are published, and on resume every
 * queued QoS 1 and 2 message comes back at once, in order, without DUP; QoS 0 and the clean sessions get nothing —
 * the counts the embedded mosquitto profile gives (test/integration/scenarios/session-embedded.test.ts). Measured
 * 6 of 6 runs by hand (docs/sessions.md). The storm: 20 clients kicked by one sweep all come back, none refused.
 */
const MOSQUITTO: ProfileOptions = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" };

// Each scenario has a mosquitto of its own, so the two run side by side.
describe.runIf(mosquittoAvailable()).concurrent("session scenarios against the real mosquitto", () => {
  const brokers: Partial<Record<ScenarioName, Mosquitto>> = {};
  beforeAll(async () => {
    [brokers["session-resume"], brokers["reconnect-storm"]] = await Promise.all([
      startMosquitto(),
      startMosquitto(),
    ]);
  });
  afterAll(async () => {
    await Promise.all(Object.values(brokers).map((b) => b?.stop()));
  });

  const run = async (name: ScenarioName, clients = 1): Promise<ScenarioResult> => {
    const broker = brokers[name];
    if (!broker) throw new Error(`no broker for ${name}`);
    const r = await runScenarios({
      names: [name],
      profile: MOSQUITTO,
      options: { ...DEFAULT_SCENARIO_OPTIONS, keepaliveS: 1, clients, session: DEFAULT_SESSION_OPTIONS },
      timeScale: 1,
      broker: { url: broker.url, logPath: broker.logPath },
    });
    const s = r.scenarios[0];
    if (!s) throw new Error("no result");
    return s;
  };

  it("session-resume: 10 of 10 at QoS 1 and 2 persistent, nothing else — as the profile says", async () => {
    const s = await run("session-resume");
    expect({ verdict: s.verdict, failed: s.checks.filter((c) => !c.ok) }).toEqual({
      verdict: "reproduced",
      failed: [],
    });
    expect(
      resumeOutcome
        .of(s)
        ?.resume?.map((c) => [c.cleanSession, c.qos, c.delivered, c.duplicated, c.dupFlags, c.order]),
    ).toEqual([
      [false, 0, 0, 0, 0, "none"],
      [false, 1, 10, 0, 0, "in-order"],
      [false, 2, 10, 0, 0, "in-order"],
      [true, 0, 0, 0, 0, "none"],
      [true, 1, 0, 0, 0, "none"],
      [true, 2, 0, 0, 0, "none"],
    ]);
    // the kicks are mosquitto's own lines, read from its log
    expect(s.signatures.filter((g) => g.id === "keepalive-timeout").length).toBeGreaterThanOrEqual(6);
  }, 30_000);

  it("reconnect-storm: 20 clients kicked by one sweep come back with and without backoff", async () => {
    const s = await run("reconnect-storm", 20);
    expect(s.verdict).toBe("reproduced");
    expect(
      stormOutcome.of(s)?.map((p) => [p.policy, p.back, p.refused, p.takeovers, p.connectSource]),
    ).toEqual([
      ["immediate", 20, 0, 0, "clients"],
      ["backoff", 20, 0, 0, "clients"],
    ]);
    // one sweep drops them all (within 100 ms)
    for (const p of stormOutcome.of(s) ?? [])
      expect((p.lastDropAt ?? 0) - (p.firstDropAt ?? 0)).toBeLessThan(100);
  }, 40_000);
});
