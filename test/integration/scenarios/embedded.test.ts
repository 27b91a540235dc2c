import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileName } from "../../../src/core/profile.js";
import { SCENARIO_NAMES } from "../../../src/scenarios/catalogue.js";
import { budgetOutcome } from "../../../src/scenarios/keepalive-budget.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import {
  DEFAULT_SCENARIO_OPTIONS,
  type ScenarioName,
  type ScenarioOptions,
  type ScenarioResult,
} from "../../../src/scenarios/types.js";
import { kickedArgs } from "../../helpers/scenario-check.js";

const profile = (name: ProfileName, extra = {}) => ({ ...DEFAULT_PROFILE_OPTIONS, profile: name, ...extra });

async function run(
  names: ScenarioName[],
  p: ReturnType<typeof profile>,
  options: Partial<ScenarioOptions> = {},
  timeScale: number | "auto" = "auto",
) {
  return runScenarios({ names, profile: p, options: { ...DEFAULT_SCENARIO_OPTIONS, ...options }, timeScale });
}

const ids = (s: ScenarioResult | undefined) => [...new Set(s?.signatures.map((g) => g.id))];
const kick = kickedArgs;

describe("every scenario on the embedded broker, per profile", () => {
  it.each(["nanomq", "mosquitto", "spec"] as const)(
    "%s: all nine reproduce, the control client survives",
    async (name) => {
      const result = await run([...SCENARIO_NAMES], profile(name));
      for (const s of result.scenarios) {
        expect({ name: s.name, verdict: s.verdict, failed: s.checks.filter((c) => !c.ok) }).toEqual({
          name: s.name,
          verdict: "reproduced",
          failed: [],
        });
        expect(s.clients.find((c) => c.control)?.closedBy).not.toBe("broker");
      }
      const by = (n: string) => result.scenarios.find((s) => s.name === n);
      if (name === "nanomq") {
        expect(ids(by("late-ping"))).toEqual(["keepalive-timeout", "recv-error", "parse-error"]);
        expect(by("tcp-rst")?.signatures.map((g) => [g.id, g.detail])).toEqual([
          ["recv-error", { reason: "Connection shutdown" }],
          ["parse-error", { rv: 139 }],
        ]);
        expect(by("malformed-packet")?.signatures.map((g) => [g.id, g.detail.rv])).toEqual([
          ["malformed-packet", undefined],
          ["parse-error", 17],
        ]);
        expect(ids(by("corrupt-retain"))).toContain("retain-decode-failure");
        expect(ids(by("session-takeover"))).toEqual(["takeover", "recv-error", "parse-error"]);
      }
      if (name === "mosquitto") {
        expect(ids(by("tcp-rst"))).toEqual(["peer-closed"]);
        expect(ids(by("session-takeover"))).toEqual(["takeover"]);
      }
    },
    120_000,
  );

  it("malformed-packet --malformed all: every variant's reaction under nanomq", async () => {
    const result = await run(["malformed-packet"], profile("nanomq"), { malformed: "all" });
    const s = result.scenarios[0];
    expect(s?.verdict).toBe("reproduced");
    const rvs = new Set(s?.signatures.filter((g) => g.id === "parse-error").map((g) => g.detail.rv));
    expect([...rvs].sort()).toEqual([129, 130, 139, 17]);
    expect(s?.checks.filter((c) => c.code === "broker-closed")).toHaveLength(10);
    // Each variant's own lines: 4 × (complaint, rv) + 2 × (rejected, Object closed, rv 139) + bad-connect
    // (subscribe-empty closes on neither real build and expects no line: the latest era logs none).
    const perVariant = s?.checks.filter((c) => c.code === "signature-seen" && c.args.variant !== undefined);
    expect(perVariant?.map((c) => c.ok)).toEqual(Array(15).fill(true));
    // NanoMQ's v5-style DISCONNECT on a 3.1.1 connection: the client reads its reason code (0x82, 0x80).
    const rc = (variant: string) => s?.clients.find((c) => c.notes.variant === variant)?.reasonCode;
    expect([rc("publish-wildcard-topic"), rc("publish-bad-utf8-topic")]).toEqual([0x82, 0x80]);
  });
});

describe("late-ping --keepalive 60: the kick where the profile's model says (scenario seconds)", () => {
  it("nanomq (Q 10 s, M 1.25): 80–90 s after the last PINGREQ; subscriber-only (silent from CONNECT) 95 s", async () => {
    const result = await run(["late-ping", "subscriber-only"], profile("nanomq"), { keepaliveS: 60 });
    const late = kick(result.scenarios[0]);
    expect(late?.delayS).toBeGreaterThan(80 - 2.5);
    expect(late?.delayS).toBeLessThanOrEqual(90 + 2.5);
    expect(kick(result.scenarios[1])?.sinceConnectS).toBeCloseTo(95, -0.5);
    expect(result.scenarios.every((s) => s.verdict === "reproduced")).toBe(true);
  }, 60_000);

  it("spec: exactly 90 s (1.5 × keepalive) after the last PINGREQ", async () => {
    const result = await run(["late-ping"], profile("spec"), { keepaliveS: 60 });
    expect(Math.abs(Number(kick(result.scenarios[0])?.delayS) - 90)).toBeLessThanOrEqual(2.5);
    expect(result.scenarios[0]?.verdict).toBe("reproduced");
  }, 60_000);

  it("mosquitto: in its sweep window (90, 96] s after the last PINGREQ", async () => {
    const result = await run(["late-ping"], profile("mosquitto"), { keepaliveS: 60 });
    const delay = Number(kick(result.scenarios[0])?.delayS);
    expect(delay).toBeGreaterThan(90 - 2.5);
    expect(delay).toBeLessThanOrEqual(96 + 2.5);
    expect(result.scenarios[0]?.verdict).toBe("reproduced");
  }, 60_000);

  it("a late PINGREQ inside the window keeps the client (nanomq, --ping-at 1.2): not reproduced", async () => {
    const result = await run(["late-ping"], profile("nanomq"), { keepaliveS: 60, pingAt: 1.2 });
    expect(result.scenarios[0]?.verdict).toBe("not-reproduced");
    expect(result.scenarios[0]?.clients.find((c) => !c.control)?.closedBy).toBe("client");
  }, 60_000);

  it("real time (--time-scale 1): Q 1 s, keepalive 2 s → kicked 3–4 s after the last PINGREQ", async () => {
    const result = await run(
      ["late-ping"],
      profile("nanomq", { retryIntervalMs: 1000 }),
      { keepaliveS: 2 },
      1,
    );
    const s = result.scenarios[0];
    expect(s?.timeScale).toBe(1);
    expect(s?.verdict).toBe("reproduced");
    expect(Number(kick(s)?.delayS)).toBeGreaterThan(3 - 0.54);
    expect(Number(kick(s)?.delayS)).toBeLessThanOrEqual(4 + 0.54);
  }, 30_000);
});

describe("--keepalive 1: keepalive small against NanoMQ's Q 10 s", () => {
  it.each(["nanomq", "mosquitto", "spec"] as const)(
    "%s: late-ping, subscriber-only and keepalive-budget reproduce",
    async (name) => {
      const result = await run(["late-ping", "subscriber-only", "keepalive-budget"], profile(name), {
        keepaliveS: 1,
      });
      for (const s of result.scenarios)
        expect({ name: s.name, failed: s.checks.filter((c) => !c.ok) }).toEqual({ name: s.name, failed: [] });
      if (name === "nanomq") expect(kick(result.scenarios[0])?.sinceConnectS).toBeCloseTo(25, 0);
    },
    30_000,
  );
});

describe("--clients N and keepalive-budget", () => {
  it("three late pingers: ids name scenario and behaviour, each kicked", async () => {
    const result = await run(["late-ping"], profile("nanomq"), { clients: 3 });
    const s = result.scenarios[0];
    const late = s?.clients.filter((c) => !c.control).map((c) => [c.clientId, c.closedBy]);
    expect(late).toEqual([
      ["mqdiag-late-ping-1", "broker"],
      ["mqdiag-late-ping-2", "broker"],
      ["mqdiag-late-ping-3", "broker"],
    ]);
    expect(s?.clients.find((c) => c.control)?.clientId).toBe("mqdiag-late-ping-control");
  });

  it("keepalive-budget under nanomq keepalive 60: safe 80 s, always kicked from 90 s", async () => {
    const result = await run(["keepalive-budget"], profile("nanomq"), { keepaliveS: 60 });
    const s = result.scenarios[0];
    expect(budgetOutcome.of(s)).toMatchObject({ largestSafeMs: 80_000, smallestKickedMs: 90_000 });
    expect(budgetOutcome.of(s)?.sweep.find((x) => x.intervalMs === 60_000)?.outcome).toBe("survives");
    expect(budgetOutcome.of(s)?.sweep.find((x) => x.intervalMs === 90_000)?.outcome).toBe("kicked");
    expect(s?.verdict).toBe("reproduced");
  }, 60_000);
});
