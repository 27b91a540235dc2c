import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import { resumeLine, stormLine } from "../../../src/report/session-lines.js";
import { parseSessionScenarioOptions } from "../../../src/scenarios/session-options.js";
import type { ResumeCount, StormPhase } from "../../../src/scenarios/session-outcome.js";
import { expectedDelivered, resumeTiming } from "../../../src/scenarios/session-resume-expect.js";

const profile = (p: Partial<ProfileOptions>): ProfileOptions => ({ ...DEFAULT_PROFILE_OPTIONS, ...p });

describe("session scenario options", () => {
  it("defaults: kick, 10 messages, counted 4 s, QoS 0, 1 and 2", () => {
    expect(parseSessionScenarioOptions({})).toEqual({
      lose: "kick",
      messages: 10,
      resumeWaitMs: 4000,
      qos: [0, 1, 2],
    });
    expect(
      parseSessionScenarioOptions({ lose: "stall", messages: "100", resumeWait: "12s", qos: "2,1,1" }),
    ).toEqual({ lose: "stall", messages: 100, resumeWaitMs: 12_000, qos: [1, 2] });
  });

  it.each([
    [{ lose: "drop" }, '--lose: expected kick, reset, stall, got "drop"'],
    [{ messages: "0" }, '--messages: expected a whole number from 1 to 1000, got "0"'],
    [{ messages: "2.5" }, '--messages: expected a whole number from 1 to 1000, got "2.5"'],
    [{ resumeWait: "0s" }, '--resume-wait: must be greater than 0, got "0s"'],
    [{ qos: "1,3" }, '--qos: expected QoS levels 0, 1 and 2 separated by commas, got "1,3"'],
  ])("%j is a usage error", (raw, message) => {
    expect(() => parseSessionScenarioOptions(raw)).toThrow(message);
  });
});

describe("what each profile delivers after a resume (its real broker's measured policy)", () => {
  const persistent = (qos: 0 | 1 | 2) => ({ cleanSession: false, qos });
  it("spec and mosquitto: every queued QoS 1/2 message; QoS 0 and clean sessions nothing", () => {
    for (const p of [profile({ profile: "spec" }), profile({ profile: "mosquitto" })]) {
      expect(expectedDelivered(p, persistent(1), 100, 4000)).toEqual({ delivered: 100, upTo: 100 });
      expect(expectedDelivered(p, persistent(2), 5, 4000)).toEqual({ delivered: 5, upTo: 5 });
      expect(expectedDelivered(p, persistent(0), 5, 4000)).toEqual({ delivered: 0, upTo: 0 });
      expect(expectedDelivered(p, { cleanSession: true, qos: 1 }, 5, 4000)).toEqual({
        delivered: 0,
        upTo: 0,
      });
    }
  });

  it("NanoMQ 0.25.3: one per tick from 1.5 × Q (one more seen live); 0.21.9: none", () => {
    const q1 = profile({ profile: "nanomq", retryIntervalMs: 1000 });
    expect(expectedDelivered(q1, persistent(1), 10, 4000)).toEqual({ delivered: 3, upTo: 4 });
    expect(expectedDelivered(q1, persistent(2), 10, 12_000)).toEqual({ delivered: 10, upTo: 10 });
    expect(expectedDelivered(q1, persistent(1), 10, 1000)).toEqual({ delivered: 0, upTo: 1 });
    // the default Q of 10 s: nothing within 4 s
    expect(expectedDelivered(profile({ profile: "nanomq" }), persistent(1), 10, 4000).delivered).toBe(0);
    // the cap: NanoMQ 0.25.3's ticks all done (1.5 × Q + 10 × Q); at once within the first tick (2 × Q)
    expect(resumeTiming(profile({ profile: "nanomq" }), 10, 4000)).toEqual({
      atOnceMs: 20_000,
      capMs: 115_000,
    });
    expect(resumeTiming(q1, 10, 4000)).toEqual({ atOnceMs: 2000, capMs: 11_500 });
    expect(resumeTiming(profile({ profile: "mosquitto" }), 10, 4000)).toEqual({
      atOnceMs: 4000,
      capMs: 4000,
    });
    const old = profile({ profile: "nanomq", retryIntervalMs: 1000, nanomqVersion: [0, 21, 9] });
    expect(expectedDelivered(old, persistent(1), 10, 15_000)).toEqual({ delivered: 0, upTo: 0 });
  });

  it("NanoMQ 0.25.3 under a simulated tick fault: the resume ticks move with the pipe's one schedule", () => {
    const fault = (jitterMs: number, drift: number) =>
      profile({ profile: "nanomq", retryIntervalMs: 1000, tickFault: { jitterMs, drift, seed: 1 } });
    // 50 % fast: ticks at 0.75, 1.25, … s after the resume, so 7 of them by 4 s
    expect(expectedDelivered(fault(0, -0.5), persistent(1), 10, 4000)).toEqual({ delivered: 7, upTo: 8 });
    expect(resumeTiming(fault(0, -0.5), 10, 4000)).toEqual({ atOnceMs: 1000, capMs: 5750 });
    // each tick up to 400 ms late (the lateness carries over): 2 ticks by 4 s at the latest, 3 at the earliest
    expect(expectedDelivered(fault(400, 0), persistent(1), 10, 4000)).toEqual({ delivered: 2, upTo: 4 });
    // counted until the latest 11th tick: 1.5 s + 0.4 s + 10 × 1.4 s
    expect(resumeTiming(fault(400, 0), 10, 4000)).toEqual({ atOnceMs: 2200, capMs: 15_900 });
  });
});

describe("session report lines", () => {
  const count: ResumeCount = {
    cleanSession: false,
    qos: 1,
    published: 10,
    delivered: 3,
    lost: 7,
    late: 0,
    lastDeliveredAt: 3500,
    duplicated: 0,
    order: "in-order",
    sessionPresent: true,
    dupFlags: 3,
    expectedDelivered: 3,
    expectedUpTo: 4,
    dropped: true,
  };
  it("one line per case, in the issue's words; a mismatch says what the profile expects", () => {
    expect(resumeLine(count)).toBe("QoS 1, persistent: 10 published, 3 delivered at once, 7 lost");
    expect(
      resumeLine({ ...count, delivered: 10, lost: 0, duplicated: 2, expectedDelivered: 0, expectedUpTo: 0 }),
    ).toBe(
      "QoS 1, persistent: 10 published, 10 delivered at once, 0 lost, 2 duplicated (the profile expects 0 delivered)",
    );
    // issue 17: late, not lost
    expect(
      resumeLine({
        ...count,
        delivered: 10,
        lost: 0,
        late: 9,
        lastDeliveredAt: 105_100,
        expectedDelivered: 10,
        expectedUpTo: 10,
      }),
    ).toBe(
      "QoS 1, persistent: 10 published, 1 delivered at once, 9 late (the last 105.1 s after the resume), 0 lost",
    );
  });

  it("a storm phase in one line", () => {
    const phase: StormPhase = {
      policy: "backoff",
      clients: 100,
      firstDropAt: 3500,
      lastDropAt: 3520,
      back: 100,
      allBackAt: 4510,
      allBackMs: 1010,
      connectsPerSecond: [95, 5],
      peakRatePerSecond: 220,
      connectSource: "clients",
      attempts: 100,
      refused: 0,
      takeovers: 0,
    };
    expect(stormLine(phase)).toBe(
      "backoff + jitter: all 100 clients back 1.0 s after the first drop, peak 220 connects/s over 100 ms (CONNACKs the clients got), 0 refused of 100 attempts, 0 takeovers",
    );
  });
});
