import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type NanomqVersion as ProfileVersion } from "../../../src/core/profile.js";
import { stormOutcome } from "../../../src/scenarios/reconnect-storm.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import { DEFAULT_SESSION_OPTIONS } from "../../../src/scenarios/session-options.js";
import { resumeOutcome } from "../../../src/scenarios/session-resume.js";
import {
  DEFAULT_SCENARIO_OPTIONS,
  type ScenarioName,
  type ScenarioResult,
} from "../../../src/scenarios/types.js";
import { brokersForDescribe } from "../../helpers/external-and-embedded.js";
import { type Nanomq, type NanomqVersion, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";

/**
 * session-resume and reconnect-storm against the real NanoMQ builds (--broker, --broker-log; retry_interval Q 1 s,
 * keepalive 1 → the silent subscriber is kicked 3.5 s after CONNECT). The counts are what each build gives, and
 * what the embedded nanomq profile of that version gives (test/integration/scenarios/session-embedded.test.ts):
 *   0.25.3: the persistent QoS 1/2 subscriber gets all 10, each with DUP (its session cache re-sends one message
 *           per Q tick from 1.5 s after the CONNECT): the first within the first tick, 9 late, the last ~10.5 s after
 *           the resume, none lost (issue 17: the scenario waits for the ticks, up to 1.5 × Q + 10 × Q). Before, it
 *           counted at 4 s: 3 delivered (11 of 11 runs), 7 "lost". The bench's plain DISCONNECT/resume once sent the
 *           last message live without DUP at once: then 2 at once and 8 late, 9 DUP — accepted here too.
 *   0.21.9: session present, nothing delivered (its re-send never reaches the new connection, session-policy.ts);
 *           removing such a session afterwards crashes it now and then (docs/sessions.md).
 * QoS 0 and the clean sessions get nothing on either.
 */
const PROFILE_VERSION: Record<NanomqVersion, ProfileVersion> = { "0.21.9": [0, 21, 9], "0.25.3": [0, 25, 3] };

async function run(
  broker: Nanomq,
  version: NanomqVersion,
  name: ScenarioName,
  clients = 1,
  resumeWaitMs = DEFAULT_SESSION_OPTIONS.resumeWaitMs,
): Promise<ScenarioResult> {
  const r = await runScenarios({
    names: [name],
    profile: {
      ...DEFAULT_PROFILE_OPTIONS,
      profile: "nanomq",
      retryIntervalMs: 1000,
      nanomqVersion: PROFILE_VERSION[version],
    },
    options: {
      ...DEFAULT_SCENARIO_OPTIONS,
      keepaliveS: 1,
      clients,
      session: { ...DEFAULT_SESSION_OPTIONS, resumeWaitMs },
    },
    timeScale: 1,
    broker: { url: broker.url, logPath: broker.logPath },
  });
  const s = r.scenarios[0];
  if (!s) throw new Error("no result");
  return s;
}

const table = (s: ScenarioResult) =>
  resumeOutcome
    .of(s)
    ?.resume?.map((c) => [
      c.cleanSession ? "clean" : "persistent",
      c.qos,
      c.delivered,
      c.dupFlags,
      c.late,
      c.lost,
    ]);

/** Each case on a broker of its own (brokersForDescribe), every case and both builds side by side. */
const brokers = (version: NanomqVersion, count: number) =>
  brokersForDescribe(count, () => startNanomq(version, { retryIntervalS: 1 }));

const CONCURRENT = { concurrent: true };

describe.runIf(nanomqAvailable("0.25.3"))(
  "session scenarios against the real NanoMQ 0.25.3",
  CONCURRENT,
  () => {
    const broker = brokers("0.25.3", 2);

    it("session-resume: 10 of 10 at QoS 1 and 2 persistent, 9 of them late, each with DUP; nothing else", async () => {
      // The scenario's own cap (1.5 × Q + 10 × Q = 11.5 s: one spare tick) is stretched to 14 s here. A PUBACK that
      // reaches the real broker after its next tick costs a tick (the tick re-sends the unacknowledged one again):
      // beside three CPU hogs the last message came at 12.5 s in 1 of 6 runs (10.5 s in the rest), and at the 11.5 s
      // cap 1 of 5 runs counted one or two as lost.
      const s = await run(broker(), "0.25.3", "session-resume", 1, 14_000);
      expect({ verdict: s.verdict, failed: s.checks.filter((c) => !c.ok) }).toEqual({
        verdict: "reproduced",
        failed: [],
      });
      // one live (no DUP, at once) is the bench's one other variant, which the check accepts too
      const ticks = (row: (string | number)[] | undefined) =>
        row?.[3] === 9 && row[4] === 8 ? [row[0], row[1], row[2], 10, 9, row[5]] : row;
      expect(table(s)?.map(ticks)).toEqual([
        ["persistent", 0, 0, 0, 0, 10],
        ["persistent", 1, 10, 10, 9, 0],
        ["persistent", 2, 10, 10, 9, 0],
        ["clean", 0, 0, 0, 0, 10],
        ["clean", 1, 0, 0, 0, 10],
        ["clean", 2, 0, 0, 0, 10],
      ]);
      for (const c of resumeOutcome.of(s)?.resume?.filter((r) => r.delivered > 0) ?? []) {
        expect(c.lastDeliveredAt).toBeGreaterThan(9000);
        expect(c.lastDeliveredAt).toBeLessThan(14_000);
      }
      expect(resumeOutcome.of(s)?.resume?.map((c) => c.sessionPresent)).toEqual([
        true,
        true,
        true,
        false,
        false,
        false,
      ]);
    }, 30_000);

    it("reconnect-storm: 20 clients kicked on one tick come back with and without backoff", async () => {
      const s = await run(broker(), "0.25.3", "reconnect-storm", 20);
      expect(s.verdict).toBe("reproduced");
      // One variant of the real broker is accepted: an immediate reconnect that reached the real 0.25.3 while its old
      // pipe's kick was still being processed counts as a takeover (seen once, 1 of 20, in a CI-like run; the same
      // race the capture tests call undecidable: the old connection closed 0.2 ms after the reconnect arrived).
      const rows = stormOutcome.of(s)?.map((p) => [p.policy, p.back, p.refused, p.takeovers]);
      const immediateTakeovers = rows?.[0]?.[3];
      expect(immediateTakeovers === 0 || immediateTakeovers === 1).toBe(true);
      expect(rows?.map((r) => (r[0] === "immediate" ? r.slice(0, 3) : r))).toEqual([
        ["immediate", 20, 0],
        ["backoff", 20, 0, 0],
      ]);
    }, 30_000);
  },
);

describe.runIf(nanomqAvailable("0.21.9"))("session-resume against the real NanoMQ 0.21.9", CONCURRENT, () => {
  const broker = brokers("0.21.9", 1);

  it("session present, nothing delivered at any QoS", async () => {
    const s = await run(broker(), "0.21.9", "session-resume");
    expect(s.checks.filter((c) => c.code === "client-outcome").every((c) => c.ok)).toBe(true);
    // One run on a fresh broker: no session is removed (removing a kicked-and-resumed one crashes 0.21.9 now and
    // then, docs/sessions.md). Every check passes.
    expect(s.checks.filter((c) => !c.ok)).toEqual([]);
    expect(table(s)?.map((row) => row[2])).toEqual([0, 0, 0, 0, 0, 0]);
    expect(resumeOutcome.of(s)?.resume?.map((c) => c.sessionPresent)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  }, 30_000);
});
