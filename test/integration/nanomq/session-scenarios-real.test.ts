import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
import { type Nanomq, type NanomqVersion, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";

/**
 * session-resume and reconnect-storm against the real NanoMQ builds (--broker, --broker-log; retry_interval Q 1 s,
 * keepalive 1 → the silent subscriber is kicked 3.5 s after CONNECT). The counts are what each build gives, and
 * what the embedded nanomq profile of that version gives (test/integration/scenarios/session-embedded.test.ts):
 *   0.25.3: the persistent QoS 1/2 subscriber gets 3 of 10 within 4 s, each with DUP (its session cache re-sent one
 *           message per Q tick from 1.5 s after the CONNECT), 7 counted lost (they would come later, one a second);
 *           11 of 11 scenario runs gave exactly 3 (by hand and in this file); the bench's plain DISCONNECT/resume
 *           once gave 4 of 5 (the last message went out live, without DUP): the scenario's check accepts 3–4, and so
 *           does this file.
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
): Promise<ScenarioResult> {
  const r = await runScenarios({
    names: [name],
    profile: {
      ...DEFAULT_PROFILE_OPTIONS,
      profile: "nanomq",
      retryIntervalMs: 1000,
      nanomqVersion: PROFILE_VERSION[version],
    },
    options: { ...DEFAULT_SCENARIO_OPTIONS, keepaliveS: 1, clients, session: DEFAULT_SESSION_OPTIONS },
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
    ?.resume?.map((c) => [c.cleanSession ? "clean" : "persistent", c.qos, c.delivered, c.dupFlags]);

describe.runIf(nanomqAvailable("0.25.3"))("session scenarios against the real NanoMQ 0.25.3", () => {
  let broker: Nanomq;
  beforeAll(async () => {
    broker = await startNanomq("0.25.3", { retryIntervalS: 1 });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it("session-resume: 3 of 10 at QoS 1 and 2 persistent, each with DUP; nothing else", async () => {
    const s = await run(broker, "0.25.3", "session-resume");
    expect({ verdict: s.verdict, failed: s.checks.filter((c) => !c.ok) }).toEqual({
      verdict: "reproduced",
      failed: [],
    });
    // 3 every scenario run so far; 4 (one sent live) is the bench's one other variant, which the check accepts too
    const three = (row: (string | number)[] | undefined) =>
      row?.[2] === 4 ? [row[0], row[1], 3, row[3]] : row;
    expect(table(s)?.map(three)).toEqual([
      ["persistent", 0, 0, 0],
      ["persistent", 1, 3, 3],
      ["persistent", 2, 3, 3],
      ["clean", 0, 0, 0],
      ["clean", 1, 0, 0],
      ["clean", 2, 0, 0],
    ]);
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
    const s = await run(broker, "0.25.3", "reconnect-storm", 20);
    expect(s.verdict).toBe("reproduced");
    expect(stormOutcome.of(s)?.map((p) => [p.policy, p.back, p.refused, p.takeovers])).toEqual([
      ["immediate", 20, 0, 0],
      ["backoff", 20, 0, 0],
    ]);
  }, 30_000);
});

describe.runIf(nanomqAvailable("0.21.9"))("session-resume against the real NanoMQ 0.21.9", () => {
  let broker: Nanomq;
  beforeAll(async () => {
    broker = await startNanomq("0.21.9", { retryIntervalS: 1 });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it("session present, nothing delivered at any QoS", async () => {
    const s = await run(broker, "0.21.9", "session-resume");
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
