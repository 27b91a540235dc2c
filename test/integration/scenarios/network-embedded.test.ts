import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import type { KeepaliveRace } from "../../../src/scenarios/network-outcome.js";
import { raceOutcome } from "../../../src/scenarios/network-race-run.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import {
  DEFAULT_SCENARIO_OPTIONS,
  type ScenarioName,
  type ScenarioOptions,
  type ScenarioResult,
} from "../../../src/scenarios/types.js";

/**
 * network-stall and pingresp-lost on the embedded broker (auto time scale, ~1.5 s of wall time each): who gives up
 * first — the client's own MQTT.js keepalive or the broker's — and the lines that follows, per profile. Keepalive
 * 10 (the default), the link stalls both ways at 15 s, the client reconnects at once. Timings are the scenario's
 * own checks (the client against MQTT.js's 3·⌈KA/2⌉ rule, the broker against its model, ± the scale's tolerance).
 */
const V0_21: ProfileOptions["nanomqVersion"] = [0, 21, 9];
const profile = (extra: Partial<ProfileOptions> = {}): ProfileOptions => ({
  ...DEFAULT_PROFILE_OPTIONS,
  ...extra,
});

async function run(names: ScenarioName[], p: ProfileOptions, options: Partial<ScenarioOptions> = {}) {
  const r = await runScenarios({
    names,
    profile: p,
    options: { ...DEFAULT_SCENARIO_OPTIONS, ...options },
    timeScale: "auto",
  });
  return r.scenarios;
}

const race = (s: ScenarioResult | undefined): KeepaliveRace => raceOutcome.of(s) as KeepaliveRace;
const lines = (s: ScenarioResult | undefined) =>
  s?.signatures.filter((g) => g.clientId !== `mqdiag-${s.name}-control`).map((g) => [g.id, g.detail]);
const failed = (s: ScenarioResult | undefined) => s?.checks.filter((c) => !c.ok);
const OBJECT_CLOSED = [
  ["recv-error", { reason: "Object closed" }],
  ["parse-error", { rv: 139 }],
];

describe("network-stall: the client's keepalive against the broker's over a half-open link", () => {
  it("NanoMQ's shipped settings (Q 10 s, M 1.25), keepalive 10: the client first at 25 s, its reconnect takes over", async () => {
    const [s] = await run(["network-stall"], profile());
    expect({ verdict: s?.verdict, failed: failed(s) }).toEqual({ verdict: "reproduced", failed: [] });
    const r = race(s);
    expect(r.forecast).toMatchObject({ first: "client", oldConnectionEnds: "takeover" });
    expect(r.seen).toMatchObject({ first: "client", oldConnectionEndedBy: "takeover", brokerKickedAt: null });
    // MQTT.js gave up 15 s after its PINGRESP at ~10 s; the broker would have kicked 10 s later (35 s)
    const client = s?.clients.find((c) => !c.control);
    const pingresp = client?.events.find((e) => e.dir === "in" && e.packet === "pingresp")?.at ?? 0;
    expect((r.seen.clientGaveUpAt ?? 0) - pingresp).toBeGreaterThanOrEqual(15_000);
    expect((r.predicted.brokerKickFrom ?? 0) - (r.seen.clientGaveUpAt ?? 0)).toBeGreaterThan(9000);
    expect(r.seen.reconnectedAt).toHaveLength(1);
    expect(lines(s)).toEqual([["takeover", {}], ...OBJECT_CLOSED]);
    expect(r.timeline.map((e) => e.what)).toEqual(
      expect.arrayContaining(["fault", "client-gave-up", "reconnected", "takeover"]),
    );
    expect(s?.clients.find((c) => !c.control)).toMatchObject({ closedBy: "client", closeKind: "FIN" });
  });

  it("--retry-interval 1: the broker kicks first (23.5 s after CONNECT), the client gives up later (25 s)", async () => {
    const [s] = await run(["network-stall"], profile({ retryIntervalMs: 1000 }));
    expect({ verdict: s?.verdict, failed: failed(s) }).toEqual({ verdict: "reproduced", failed: [] });
    const r = race(s);
    expect(r.seen).toMatchObject({ first: "broker", oldConnectionEndedBy: "keepalive", takeoverAt: null });
    expect((r.seen.clientGaveUpAt ?? 0) - (r.seen.brokerKickedAt ?? 0)).toBeGreaterThan(1000);
    expect(lines(s)).toEqual([["keepalive-timeout", {}], ...OBJECT_CLOSED]);
  });

  it("NanoMQ 0.21 wording: the same race, its takeover has no collision line (Object closed, rv 139 only)", async () => {
    const [s] = await run(["network-stall"], profile({ nanomqVersion: V0_21 }));
    expect({ verdict: s?.verdict, failed: failed(s) }).toEqual({ verdict: "reproduced", failed: [] });
    expect(race(s).seen).toMatchObject({ first: "client", oldConnectionEndedBy: "takeover" });
    expect(lines(s)).toEqual(OBJECT_CLOSED);
    expect(s?.signatures.find((g) => g.id === "parse-error")?.line).toContain("parse error rv: 139");
  });

  it("mosquitto, keepalive 10: the client first (the sweep kicks only after 16 whole seconds), takeover", async () => {
    const [s] = await run(["network-stall"], profile({ profile: "mosquitto" }));
    expect({ verdict: s?.verdict, failed: failed(s) }).toEqual({ verdict: "reproduced", failed: [] });
    expect(race(s).seen).toMatchObject({ first: "client", oldConnectionEndedBy: "takeover" });
    expect(lines(s)?.[0]).toEqual(["takeover", {}]);
    expect(s?.signatures.some((g) => g.id === "keepalive-timeout")).toBe(false);
  });

  it("spec: the same 1.5 × KA on both sides, a round trip apart — a tie, and the lines follow whoever won", async () => {
    const [s] = await run(["network-stall"], profile({ profile: "spec" }));
    expect({ verdict: s?.verdict, failed: failed(s) }).toEqual({ verdict: "reproduced", failed: [] });
    const r = race(s);
    expect(r.predicted.first).toBe("tie");
    expect(Math.abs((r.seen.clientGaveUpAt ?? 0) - (r.predicted.brokerKickFrom ?? 0))).toBeLessThan(500);
    // whoever's timer fired first, the old connection ends by the broker's kick unless the reconnect beat it
    const ids = s?.signatures.map((g) => g.id) ?? [];
    expect(r.seen.oldConnectionEndedBy).toMatch(/^(keepalive|takeover)$/);
    expect(ids).toContain(r.seen.oldConnectionEndedBy === "keepalive" ? "keepalive-timeout" : "takeover");
    if (r.seen.first === "broker") expect(r.seen.oldConnectionEndedBy).toBe("keepalive");
  });
});

describe("pingresp-lost: the broker sees a healthy client, the client gives up on its own", () => {
  it.each([
    ["nanomq 0.25 wording", profile(), [["takeover", {}], ...OBJECT_CLOSED]],
    ["nanomq 0.21 wording", profile({ nanomqVersion: V0_21 }), OBJECT_CLOSED],
    ["mosquitto", profile({ profile: "mosquitto" }), [["takeover", {}]]],
    ["spec", profile({ profile: "spec" }), [["takeover", {}]]],
  ])(
    "%s: Keepalive timeout at 1.5 × KA after CONNACK, no kick line, the reconnect takes over",
    async (_n, p, want) => {
      const [s] = await run(["pingresp-lost"], p);
      expect({ verdict: s?.verdict, failed: failed(s) }).toEqual({ verdict: "reproduced", failed: [] });
      const r = race(s);
      expect(r.seen).toMatchObject({
        first: "client",
        oldConnectionEndedBy: "takeover",
        brokerKickedAt: null,
      });
      const client = s?.clients.find((c) => !c.control);
      // MQTT.js reschedules on the CONNACK it received: never earlier than 15 s after that
      const connack = client?.events.find((e) => e.dir === "in" && e.packet === "connack")?.at ?? 0;
      expect((r.seen.clientGaveUpAt ?? 0) - connack).toBeGreaterThanOrEqual(15_000);
      expect(client?.events.some((e) => e.packet === "pingresp")).toBe(false);
      expect(lines(s)?.slice(0, want.length)).toEqual(want);
      expect(s?.signatures.some((g) => g.id === "keepalive-timeout")).toBe(false);
    },
  );
});

describe("the link options on any scenario's subject clients", () => {
  it("tcp-rst --slow-close 800ms: the broker learns of the reset 0.8 s after the client sent it", async () => {
    const link = {
      faults: [{ kind: "slow-close" as const, direction: "both" as const, delayMs: 800 }],
      seed: 1,
    };
    const [s] = await run(["tcp-rst"], profile(), { keepaliveS: 10, network: { link } });
    expect(s?.verdict).toBe("reproduced");
    const client = s?.clients.find((c) => !c.control);
    const gone = s?.signatures.find((g) => g.id === "recv-error");
    expect(gone?.detail).toEqual({ reason: "Connection shutdown" });
    expect((gone?.at ?? 0) - (client?.closedAt ?? 0)).toBeGreaterThanOrEqual(750);
  });

  it("--reconnect none on network-stall: no takeover, the broker's kick ends the stalled connection", async () => {
    const [s] = await run(["network-stall"], profile(), { network: { reconnect: { kind: "none" } } });
    expect({ verdict: s?.verdict, failed: failed(s) }).toEqual({ verdict: "reproduced", failed: [] });
    expect(race(s).seen).toMatchObject({
      first: "client",
      oldConnectionEndedBy: "keepalive",
      reconnectedAt: [],
    });
    expect(lines(s)).toEqual([["keepalive-timeout", {}], ...OBJECT_CLOSED]);
  });
});
