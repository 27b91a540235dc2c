import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import { clientLibraryOutcome } from "../../../src/scenarios/client-library.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import type { ScenarioResult } from "../../../src/scenarios/types.js";
import { type Nanomq, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";
import { realLibraryAvailable } from "../../helpers/real-clients.js";

/**
 * `mqdiag scenario client-library --client mqtt-c --broker … --broker-log …` against the real NanoMQ 0.25.3 at
 * Q 1 s, M 1.25, keepalive 3: the real MQTT-C 1.1.6 synced every 1.5 s is kicked (NanoMQ's kick line, then
 * `Object closed` → rv 139), as on the embedded profile (test/integration/scenarios/client-library.test.ts);
 * synced every 100 ms from a safe phase it survives. The two runs go one after another: they use the same client id.
 *
 * Synced every 100 ms, MQTT-C's PINGREQs slide through 0.1–0.2 s past each whole second of the wall clock, and
 * NanoMQ's ticks keep the CONNECT's phase (+ 0.5 s): a CONNECT at a random phase is kicked about 1 time in 20
 * (test/integration/nanomq/mqtt-c-kick.test.ts; `mqdiag clients` reports it as "~9% of phases"). The surviving run
 * starts PHASE_MS past a whole second, as mqtt-c-kick does, so its ticks fall half a second from its pings.
 */
const PHASE_MS = 200;
const PROFILE: ProfileOptions = {
  ...DEFAULT_PROFILE_OPTIONS,
  retryIntervalMs: 1000,
  keepaliveMultiplier: 1.25,
  nanomqVersion: [0, 25, 3],
};
const here = nanomqAvailable("0.25.3") && (await realLibraryAvailable("mqtt-c"));

describe.runIf(here)("client-library with the real MQTT-C on the real NanoMQ 0.25.3", () => {
  let nanomq: Nanomq;
  beforeAll(async () => {
    nanomq = await startNanomq("0.25.3", { retryIntervalS: 1, multiplier: 1.25 });
  }, 60_000);
  afterAll(async () => {
    await nanomq?.stop();
  });

  async function run(loopIntervalMs: number): Promise<ScenarioResult> {
    const r = await runScenarios({
      names: ["client-library"],
      profile: PROFILE,
      options: { keepaliveS: 3, clients: 1, clientLibrary: "mqtt-c", loopIntervalMs },
      timeScale: 1,
      broker: { url: nanomq.url, logPath: nanomq.logPath },
    });
    const s = r.scenarios[0];
    if (!s) throw new Error("no result");
    return s;
  }

  it("synced every 1.5 s: kicked, with NanoMQ's kick lines; synced every 100 ms from a safe phase: it survives", async () => {
    const kicked = await run(1500);
    expect(kicked.clients.find((c) => !c.control)?.library).toMatchObject({ id: "mqtt-c", real: true });
    expect(clientLibraryOutcome.of(kicked)?.seen.first).toBe("broker");
    expect(kicked.verdict).toBe("reproduced");
    expect(kicked.signatures.map((g) => g.id)).toEqual(
      expect.arrayContaining(["keepalive-timeout", "recv-error", "parse-error"]),
    );
    await new Promise((r) => setTimeout(r, 1000 + PHASE_MS - (Date.now() % 1000)));
    const t0 = Date.now();
    const survived = await run(100);
    expect(survived.verdict).toBe("reproduced");
    // where in its second the CONNECT was answered (the scenario's clock starts at t0, at ×1)
    const connack = survived.clients.find((c) => !c.control)?.connectedAt ?? Number.NaN;
    const phase = (t0 + connack) % 1000;
    const seen = clientLibraryOutcome.of(survived)?.seen;
    if (phase >= 100 && phase < 600) {
      // measured 345–356 ms here: the ticks fall half a second from the pings, so it survives
      expect(seen?.first).toBe("nobody");
      expect(survived.signatures.filter((g) => g.id === "keepalive-timeout")).toEqual([]);
    } else {
      // a start held by load put it where ~1 phase in 10 is kicked: kicked, then not before 7.4 s
      if (seen?.first === "broker") expect(seen.kickedAtMs).toBeGreaterThanOrEqual(7400);
      else expect(seen?.first).toBe("nobody");
    }
  }, 60_000);
});
