import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileName } from "../../../src/core/profile.js";
import { MALFORMED_NAMES } from "../../../src/fleet/malformed.js";
import { SCENARIO_CATALOGUE } from "../../../src/scenarios/catalogue.js";
import type { Check } from "../../../src/scenarios/check.js";
import { expectedIds, signatureChecks, verdictOf } from "../../../src/scenarios/expectations.js";
import { defaultPingAt, kickAfterOnTimePing } from "../../../src/scenarios/late-ping.js";
import { malformedExpectation } from "../../../src/scenarios/malformed-expectations.js";
import type { Expectation, ObservedSignature } from "../../../src/scenarios/types.js";
import { DEFAULT_SCENARIO_OPTIONS } from "../../../src/scenarios/types.js";
import { seenArgs } from "../../helpers/scenario-check.js";

const SCENARIOS = await Promise.all(SCENARIO_CATALOGUE.map((e) => e.load()));

const profile = (name: ProfileName) => ({ ...DEFAULT_PROFILE_OPTIONS, profile: name });
const seen = (id: ObservedSignature["id"], detail: ObservedSignature["detail"] = {}): ObservedSignature => ({
  id,
  at: 1000,
  clientId: "c",
  line: "",
  detail,
});

describe("expected signatures per profile (docs/broker-facts.md)", () => {
  const expected = (name: string, p: ProfileName) =>
    expectedIds(
      SCENARIOS.find((s) => s.name === name)?.expected(profile(p), DEFAULT_SCENARIO_OPTIONS, false) ?? {
        seen: [],
        absent: [],
      },
    );
  it.each([
    ["late-ping", "nanomq", ["keepalive-timeout", "recv-error", "parse-error"]],
    ["late-ping", "mosquitto", ["keepalive-timeout"]],
    ["late-ping", "spec", ["keepalive-timeout"]],
    ["tcp-rst", "nanomq", ["recv-error", "parse-error"]],
    ["tcp-rst", "mosquitto", ["peer-closed"]],
    ["fin-close", "nanomq", ["recv-error", "parse-error"]],
    ["malformed-packet", "nanomq", ["malformed-packet", "parse-error"]],
    ["malformed-packet", "mosquitto", ["protocol-error"]],
    ["corrupt-retain", "nanomq", ["retain-decode-failure"]],
    ["corrupt-retain", "mosquitto", []],
    ["session-takeover", "nanomq", ["takeover", "recv-error", "parse-error"]],
    ["session-takeover", "mosquitto", ["takeover"]],
    ["no-connect", "nanomq", ["connect-timeout"]],
    ["no-connect", "mosquitto", ["keepalive-timeout"]],
  ] as const)("%s under %s expects %j", (name, p, ids) => {
    expect(expected(name, p)).toEqual(ids);
  });

  it("tcp-rst expects Connection shutdown then rv 139 on NanoMQ, and no keepalive kick", () => {
    const e = SCENARIOS.find((s) => s.name === "tcp-rst")?.expected(
      profile("nanomq"),
      DEFAULT_SCENARIO_OPTIONS,
      false,
    );
    expect(e?.seen).toEqual([
      { id: "recv-error", detail: { reason: "Connection shutdown" } },
      { id: "parse-error", detail: { rv: 139 } },
    ]);
    expect(e?.absent).toEqual(["keepalive-timeout"]);
  });

  it("malformed variants: NanoMQ rv per docs/broker-facts.md; every variant has an expectation in every profile", () => {
    const rvOf = (v: string) =>
      malformedExpectation(profile("nanomq"), v).seen.find((s) => s.id === "parse-error")?.detail?.rv;
    expect(rvOf("remaining-length-overflow")).toBe(17);
    expect(rvOf("publish-qos3")).toBe(130);
    expect(rvOf("publish-empty")).toBe(129);
    expect(rvOf("publish-wildcard-topic")).toBe(139);
    expect(malformedExpectation(profile("nanomq"), "packet-type-0")).toEqual({ seen: [], closes: false });
    expect(malformedExpectation(profile("mosquitto"), "pingreq-flags").closes).toBe(false);
    for (const p of ["nanomq", "mosquitto", "spec"] as const)
      for (const v of MALFORMED_NAMES) expect(malformedExpectation(profile(p), v)).toBeDefined();
  });
});

describe("--malformed all: each variant's lines checked on its own clients", () => {
  const def = SCENARIOS.find((s) => s.name === "malformed-packet");
  const all = def?.expected(profile("nanomq"), { ...DEFAULT_SCENARIO_OPTIONS, malformed: "all" }, false);
  const line = (variant: string, id: ObservedSignature["id"], detail = {}) => ({
    ...seen(id, detail),
    clientId: `mqdiag-malformed-packet-${variant}-1`,
  });
  it("one expectation per variant and line, naming the variant", () => {
    const checks = signatureChecks(all ?? { seen: [], absent: [] }, []);
    const qos3 = checks
      .map(seenArgs)
      .filter((a) => a?.variant === "publish-qos3")
      .map((a) => [a?.id, a?.rv]);
    expect(qos3).toEqual([
      ["malformed-packet", undefined],
      ["parse-error", 130],
    ]);
  });
  it("another variant's line does not stand in: rv 17 of the overflow does not satisfy publish-qos3", () => {
    const lines = [
      line("remaining-length-overflow", "malformed-packet"),
      line("remaining-length-overflow", "parse-error", { rv: 130 }),
    ];
    const checks = signatureChecks(all ?? { seen: [], absent: [] }, lines);
    const ok = (variant: string) => checks.filter((c) => seenArgs(c)?.variant === variant).every((c) => c.ok);
    expect(ok("publish-qos3")).toBe(false);
    expect(
      checks.find(
        (c) => seenArgs(c)?.variant === "remaining-length-overflow" && seenArgs(c)?.id === "malformed-packet",
      )?.ok,
    ).toBe(true);
  });
  it("a line that names no fleet client (NanoMQ's rv lines, mosquitto's <unknown>) counts for any variant", () => {
    const checks = signatureChecks(all ?? { seen: [], absent: [] }, [
      { ...seen("bad-connect"), clientId: "<unknown>" },
    ]);
    expect(checks.find((c) => seenArgs(c)?.variant === "garbage-before-connect")?.ok).toBe(true);
  });
});

describe("checks and verdicts", () => {
  const exp: Expectation = {
    seen: [
      { id: "recv-error" as const, detail: { reason: "Connection shutdown" } },
      { id: "parse-error" as const, detail: { rv: 139 } },
    ],
    absent: ["keepalive-timeout" as const],
  };
  it("all seen, nothing forbidden → reproduced", () => {
    const checks = signatureChecks(exp, [
      seen("recv-error", { reason: "Connection shutdown" }),
      seen("parse-error", { rv: 139 }),
    ]);
    expect(checks.map((c) => c.ok)).toEqual([true, true, true]);
    expect(verdictOf(checks)).toBe("reproduced");
  });
  it("a detail that differs does not count as seen → not-reproduced", () => {
    const checks = signatureChecks(exp, [
      seen("recv-error", { reason: "Object closed" }),
      seen("parse-error", { rv: 139 }),
    ]);
    expect(verdictOf(checks)).toBe("not-reproduced");
  });
  it("a forbidden signature → unexpected", () => {
    const checks = signatureChecks(exp, [
      seen("recv-error", { reason: "Connection shutdown" }),
      seen("parse-error", { rv: 139 }),
      seen("keepalive-timeout"),
    ]);
    expect(verdictOf(checks)).toBe("unexpected");
  });
  it("a kicked control client is a failure", () => {
    const control: Check = {
      code: "control-not-kicked",
      ok: false,
      essential: false,
      args: { clientId: "mqdiag-control", closedAtMs: 12_000 },
    };
    expect(verdictOf([control])).toBe("unexpected");
  });
  it("an any-of expectation is met by either id", () => {
    const checks = signatureChecks({ seen: [{ id: ["malformed-packet", "protocol-error"] }], absent: [] }, [
      seen("protocol-error"),
    ]);
    expect(verdictOf(checks)).toBe("reproduced");
  });
});

describe("time scale and defaults", () => {
  it("the default --ping-at lies past the profile's always-kicked interval", () => {
    // nanomq KA 60, Q 10, M 1.25: always kicked from 90 s = 1.5 × KA → default 2.0
    expect(defaultPingAt(profile("nanomq"), 60)).toBe(2);
    expect(defaultPingAt({ ...profile("nanomq"), keepaliveMultiplier: 1250 }, 60)).toBeGreaterThan(1000);
  });
  it("late-ping's kick after the on-time PINGREQ: inside 80–90 s at keepalive 60, the first tick's 24 s at 1", () => {
    // nanomq Q 10 s: ping at 60 s, next tick 65 s, kicked 8 ticks later at 145 s → 85 s after the ping.
    expect(kickAfterOnTimePing(profile("nanomq"), 60)).toEqual({ minMs: 85_000, maxMs: 85_000 });
    // keepalive 1: ping at 1 s, first tick 15 s (n = 1), kick at 25 s → 24 s, later than the 10–20 s window.
    expect(kickAfterOnTimePing(profile("nanomq"), 1)).toEqual({ minMs: 24_000, maxMs: 24_000 });
    expect(defaultPingAt(profile("nanomq"), 1)).toBe(26);
    expect(kickAfterOnTimePing(profile("spec"), 60)).toEqual({ minMs: 90_000, maxMs: 90_000 });
    for (const p of ["nanomq", "mosquitto", "spec"] as const)
      for (const ka of [1, 2, 5, 10, 60]) {
        const kick = kickAfterOnTimePing(profile(p), ka);
        expect((defaultPingAt(profile(p), ka) ?? 0) * ka * 1000).toBeGreaterThan((kick?.maxMs ?? 0) + 1000);
      }
  });
});
