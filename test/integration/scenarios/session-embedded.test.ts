import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import { stormOutcome } from "../../../src/scenarios/reconnect-storm.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import {
  DEFAULT_SESSION_OPTIONS,
  type SessionScenarioOptions,
} from "../../../src/scenarios/session-options.js";
import { resumeOutcome } from "../../../src/scenarios/session-resume.js";
import {
  DEFAULT_SCENARIO_OPTIONS,
  type ScenarioName,
  type ScenarioOptions,
  type ScenarioResult,
} from "../../../src/scenarios/types.js";

/**
 * session-resume and reconnect-storm on the embedded broker, per profile: the counts each profile's real broker
 * gives (docs/sessions.md: mosquitto 2.0.11 all queued QoS 1/2; NanoMQ 0.25.3 one per 1 s tick from 1.5 s, so 3
 * of 10 within 4 s; 0.21.9 none; QoS 0 and clean sessions nothing anywhere). Keepalive 2, Q 1 s, scaled clocks.
 */
const profile = (p: Partial<ProfileOptions>): ProfileOptions => ({ ...DEFAULT_PROFILE_OPTIONS, ...p });

async function run(
  name: ScenarioName,
  p: ProfileOptions,
  session: Partial<SessionScenarioOptions> = {},
  options: Partial<ScenarioOptions> = {},
  timeScale: number | "auto" = "auto",
): Promise<ScenarioResult> {
  const result = await runScenarios({
    names: [name],
    profile: p,
    options: {
      ...DEFAULT_SCENARIO_OPTIONS,
      keepaliveS: 2,
      ...options,
      session: { ...DEFAULT_SESSION_OPTIONS, ...session },
    },
    timeScale,
  });
  const s = result.scenarios[0];
  if (!s) throw new Error("no result");
  return s;
}

/** [persistent q0, q1, q2, clean q0, q1, q2] delivered. */
const delivered = (s: ScenarioResult) => resumeOutcome.of(s)?.resume?.map((c) => c.delivered);

describe("session-resume on the embedded broker: what comes back after a keepalive kick", () => {
  it.each([
    ["spec", profile({ profile: "spec" }), [0, 10, 10, 0, 0, 0]],
    ["mosquitto", profile({ profile: "mosquitto" }), [0, 10, 10, 0, 0, 0]],
    [
      "nanomq 0.25.3",
      profile({ profile: "nanomq", retryIntervalMs: 1000, nanomqVersion: [0, 25, 3] }),
      // one per tick: all 10 within the cap (issue 17: late, not lost)
      [0, 10, 10, 0, 0, 0],
    ],
    [
      "nanomq 0.21.9",
      profile({ profile: "nanomq", retryIntervalMs: 1000, nanomqVersion: [0, 21, 9] }),
      [0, 0, 0, 0, 0, 0],
    ],
  ] as const)(
    "%s: delivered as its real broker does",
    async (_name, p, counts) => {
      const s = await run("session-resume", p);
      expect({ verdict: s.verdict, failed: s.checks.filter((c) => !c.ok) }).toEqual({
        verdict: "reproduced",
        failed: [],
      });
      expect(delivered(s)).toEqual(counts);
      expect(resumeOutcome.of(s)?.resume?.map((c) => c.sessionPresent)).toEqual([
        true,
        true,
        true,
        false,
        false,
        false,
      ]);
      expect(s.signatures.some((g) => g.id === "keepalive-timeout")).toBe(true);
      // the subscribers are the run's clients: each first connection kicked, each resumed one closed by the client
      const subs = s.clients.filter((c) => !c.control);
      expect(subs.filter((c) => c.behaviour === "subscriber-only").map((c) => c.closedBy)).toEqual(
        Array(6).fill("broker"),
      );
      expect(subs.filter((c) => c.behaviour === "second-connection").map((c) => c.closeKind)).toEqual(
        Array(6).fill("DISCONNECT"),
      );
    },
    30_000,
  );

  it("NanoMQ 0.25.3's re-sends carry DUP; the JSON and the table say it in the issue's words", async () => {
    const s = await run(
      "session-resume",
      profile({ profile: "nanomq", retryIntervalMs: 1000, nanomqVersion: [0, 25, 3] }),
      { qos: [1] },
    );
    const json = s.outcome?.json(s) as { resume: Record<string, unknown>[] };
    expect(json.resume[0]).toMatchObject({
      cleanSession: false,
      qos: 1,
      published: 10,
      delivered: 10,
      lost: 0,
      // the first at 1.5 s (within the first tick, 2 s), then one per 1 s tick: 9 late, the last at ~10.5 s
      late: 9,
      duplicated: 0,
      order: "in-order",
      dupFlags: 10,
    });
    const last = json.resume[0]?.lastDeliveredAt as number;
    expect(last).toBeGreaterThan(9.5);
    expect(last).toBeLessThan(11.5);
    const lines = s.outcome?.lines(s, 200) ?? [];
    expect(lines).toContain(
      `  QoS 1, persistent: 10 published, 1 delivered at once, 9 late (the last ${(Math.round(Math.round(last * 1000) / 100) / 10).toFixed(1)} s after the resume), 0 lost`,
    );
  }, 30_000);

  it.each(["reset", "stall"] as const)(
    "--lose %s (the relay): the same counts on the spec profile",
    async (lose) => {
      const s = await run("session-resume", profile({ profile: "spec" }), { lose, qos: [1] });
      expect(s.verdict).toBe("reproduced");
      expect(delivered(s)).toEqual([10, 0]);
      expect(resumeOutcome.of(s)?.lose).toBe(lose);
      // a reset is the peer gone; a stall ends in the broker's keepalive kick (the client never heard)
      expect(
        s.signatures.some((g) => g.id === (lose === "reset" ? "peer-closed" : "keepalive-timeout")),
      ).toBe(true);
    },
    30_000,
  );
});

describe("reconnect-storm on the embedded broker", () => {
  it("20 clients kicked together come back: at once with no backoff, spread by backoff + jitter", async () => {
    const s = await run(
      "reconnect-storm",
      profile({ profile: "spec" }),
      {},
      { clients: 20, keepaliveS: 1 },
      2,
    );
    expect(s.verdict).toBe("reproduced");
    const [now, later] = stormOutcome.of(s) ?? [];
    expect([now?.policy, later?.policy]).toEqual(["immediate", "backoff"]);
    for (const p of [now, later])
      expect({ back: p?.back, refused: p?.refused, takeovers: p?.takeovers }).toEqual({
        back: 20,
        refused: 0,
        takeovers: 0,
      });
    // backoff 1 s with jitter 0.5: the first attempt waits 0.5–1 s (clock ms; 150 ms for handshakes at ×2)
    expect(later?.allBackMs).toBeGreaterThanOrEqual(500);
    expect(later?.allBackMs).toBeLessThanOrEqual(1150);
    expect(now?.allBackMs).toBeLessThan(later?.allBackMs ?? 0);
    expect(now?.peakRatePerSecond).toBeGreaterThan(later?.peakRatePerSecond ?? 0);
    expect(now?.connectSource).toBe("broker");
    expect(now?.connectsPerSecond.reduce((a, b) => a + b, 0)).toBe(20);
  }, 30_000);

  it("--reconnect none: one phase, nobody comes back", async () => {
    const s = await run(
      "reconnect-storm",
      profile({ profile: "spec" }),
      {},
      { clients: 3, keepaliveS: 1, network: { reconnect: { kind: "none" } } },
    );
    expect(s.verdict).toBe("reproduced");
    expect(stormOutcome.of(s)?.map((p) => [p.policy, p.back, p.attempts])).toEqual([["none", 0, 0]]);
  }, 30_000);
});
