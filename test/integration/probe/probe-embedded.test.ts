import { afterEach, describe, expect, it } from "vitest";
import { type Broker, startBroker } from "../../../src/broker/index.js";
import { scaledClock } from "../../../src/core/clock.js";
import { probeExitStatus } from "../../../src/probe/exit-status.js";
import { tickKickAfterConnectS } from "../../../src/probe/keepalive-fit-tick.js";
import { runProbe } from "../../../src/probe/runner.js";
import { findingOf } from "../../helpers/probe-finding.js";
import { probeOptions } from "./probe-options.js";

/** Broker and probe share one clock at 10× (≤ 50× for kick timings): results are in clock seconds. */
const SCALE = 10;

const finding = findingOf;

describe("mqdiag probe against the embedded broker in each profile", () => {
  let broker: Broker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it("spec profile imposing Server Keep Alive 4 s: the will watcher keeps it and sees every will", async () => {
    // the watcher asks keepalive 0 and is told 4 s: without its PINGREQs the broker kicked it after 6 s and the
    // will check failed ("no will within 5 s of a TCP reset")
    const clock = scaledClock(SCALE);
    broker = await startBroker({
      profile: "spec",
      port: 0,
      clock,
      serverKeepalive: { rule: "impose", seconds: 4 },
    });
    const result = await runProbe(probeOptions(broker.url, { clock, checks: ["connect", "will"] }));
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ["connect", "pass"],
      ["will", "pass"],
    ]);
  });

  it("spec profile: multiplier 1.5, granularity ≈ 0, everything passes", async () => {
    const clock = scaledClock(SCALE);
    broker = await startBroker({ profile: "spec", port: 0, clock });
    const result = await runProbe(probeOptions(broker.url, { clock }));
    const ka = finding(result, "keepalive");
    const inferred = ka.measured.inferred as { multiplier: number; granularity: number };
    expect(inferred.multiplier).toBeGreaterThan(1.4);
    expect(inferred.multiplier).toBeLessThan(1.6);
    expect(inferred.granularity).toBeLessThan(0.5);
    expect(ka.status).toBe("pass");
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ["connect", "pass"],
      ["ping", "pass"],
      ["keepalive", "pass"],
      ["will", "pass"],
      ["malformed", "pass"],
      ["retain", "pass"],
      ["takeover", "pass"],
    ]);
    expect(probeExitStatus(result, "error")).toBe(0);
    // the spec's own behaviour (1.5 × keepalive, DISCONNECT 0x8E on takeover, a CONNACK of its own) names no
    // known broker: 1.5 × keepalive is every spec-following broker's, and the 0x8E one (ejabberd) kicks later
    expect(result.identified).toMatchObject({ broker: null, basis: null, confidence: "none", agreeing: 0 });
  }, 60_000);

  it("nanomq profile with --retry-interval 1s: the tick model's kick times 3.5, 4.5, 7.5 s", async () => {
    const clock = scaledClock(SCALE);
    broker = await startBroker({
      profile: "nanomq",
      retryIntervalMs: 1000,
      keepaliveMultiplier: 1.25,
      port: 0,
      clock,
    });
    const result = await runProbe(probeOptions(broker.url, { clock, checks: ["connect", "keepalive"] }));
    const groups = finding(result, "keepalive").measured.groups as {
      keepalive: number;
      min: number;
      max: number;
    }[];
    // 1.5·Q + Q·(⌊KA·M/Q⌋ + 1) after CONNECT (docs/broker-facts.md); tolerance in scenario seconds. Keepalives
    // other than 1, 2, 4 are the adaptive round's, pinning M (which depends on the time left: 3 can be among them).
    const expected = (k: number) => tickKickAfterConnectS(1, 1.25, k) as number;
    const sampled = groups.filter((g) => [1, 2, 4].includes(g.keepalive));
    expect(sampled.map((g) => expected(g.keepalive))).toEqual([3.5, 4.5, 7.5]);
    for (const g of groups) {
      expect(g.min).toBeGreaterThan(expected(g.keepalive) - 0.3);
      expect(g.max).toBeLessThan(expected(g.keepalive) + 0.3);
    }
    const inferred = finding(result, "keepalive").measured.inferred as { multiplier: number };
    expect(inferred).toMatchObject({ model: "tick", tickS: 1, open: [] });
    // the profile's CONNACK is NanoMQ 0.25.3's set, and the tick is NanoMQ's
    expect(result.identified).toMatchObject({ broker: "nanomq", confidence: "medium", agreeing: 2 });
    expect(Math.abs(inferred.multiplier - 1.25)).toBeLessThanOrEqual(0.05);
  }, 60_000);

  it("nanomq profile with keepalive_multiplier 0.5: kicked at 4.5 s, before 1.5 × 4 s − 1 s → early-kick, exit 1", async () => {
    const clock = scaledClock(SCALE);
    broker = await startBroker({
      profile: "nanomq",
      retryIntervalMs: 1000,
      keepaliveMultiplier: 0.5,
      port: 0,
      clock,
    });
    const result = await runProbe(
      probeOptions(broker.url, {
        clock,
        checks: ["connect", "keepalive"],
        keepaliveSamples: [4],
        sessionsPerSample: 2,
      }),
    );
    const ka = finding(result, "keepalive");
    // 1.5·Q + Q·(⌊KA·M/Q⌋ + 1) = 1.5 + 3 = 4.5 s after CONNECT (docs/broker-facts.md), 1.5 s before the spec's 6 s
    expect([ka.status, ka.code]).toEqual(["fail", "early-kick"]);
    const earliest = ka.measured.earliest as { kickAfter: number; limit: number };
    expect(earliest.limit).toBe(6);
    expect(earliest.kickAfter).toBeGreaterThan(4.2);
    expect(earliest.kickAfter).toBeLessThan(4.8);
    expect(ka.measured.belowSpec).toBe(2);
    expect(probeExitStatus(result, "error")).toBe(1);
  }, 60_000);

  it("mosquitto profile: identified as mosquitto from its CONNACK and its sweep", async () => {
    const clock = scaledClock(SCALE);
    broker = await startBroker({ profile: "mosquitto", port: 0, clock });
    const result = await runProbe(probeOptions(broker.url, { clock, checks: ["connect", "keepalive"] }));
    expect(finding(result, "keepalive").measured.inferred.model).toBe("sweep");
    expect(result.identified).toMatchObject({ broker: "mosquitto", confidence: "medium", agreeing: 2 });
  }, 60_000);

  it("nanomq profile accepts packet-type-0 as NanoMQ does: malformed reports it left open, exit 1", async () => {
    const clock = scaledClock(SCALE);
    broker = await startBroker({ profile: "nanomq", port: 0, clock });
    const result = await runProbe(probeOptions(broker.url, { clock, checks: ["connect", "malformed"] }));
    const f = finding(result, "malformed");
    expect(f.status).toBe("fail");
    expect(f.code).toBe("left-open");
    expect(f.measured.leftOpen).toEqual(["packet-type-0"]);
    expect(probeExitStatus(result, "error")).toBe(1);
  }, 60_000);
});
