import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import {
  latencyBudget,
  latePlan,
  outcomeAtDelay,
  survivorPlan,
} from "../../../src/scenarios/latency-budget.js";

const nanomq = DEFAULT_PROFILE_OPTIONS;
const q1 = { ...nanomq, retryIntervalMs: 1000 };
const spec = { ...nanomq, profile: "spec" as const };
const mosquitto = { ...nanomq, profile: "mosquitto" as const };

describe("latency budget (keepalive + a round trip against each side's limit)", () => {
  it.each([
    // NanoMQ Q 10 s, KA 10: its first tick 15 s after CONNECT, kick 35 s after it; later gaps safe up to 20 s
    // (delay 5 s); MQTT.js gives up from 2.5 s, after its first round trip: later gaps never come
    [nanomq, 10_000, 2000, "survives"],
    [nanomq, 10_000, 2500, "client-gives-up"],
    [nanomq, 10_000, 10_000, "client-gives-up"],
    [nanomq, 10_000, 12_500, "broker-kicks"],
    // Q 1 s, KA 2: kicked 4.5 s after CONNECT when silent (delay ≥ 1.25 s), later gaps safe to 3 s (0.5 s)
    [q1, 2000, 400, "survives"],
    [q1, 2000, 600, "client-gives-up"],
    [q1, 2000, 1249, "client-gives-up"],
    [q1, 2000, 1250, "broker-kicks"],
    // Q 1 s, KA 10: later gaps safe to 13 s (1.5 s), always kicked from 14 s (2 s); the client from 2.5 s
    [q1, 10_000, 1500, "survives"],
    [q1, 10_000, 1750, "depends"],
    [q1, 10_000, 2000, "broker-kicks"],
    // spec: a gap of exactly 1.5 × KA is kicked
    [spec, 10_000, 2499, "survives"],
    [spec, 10_000, 2500, "broker-kicks"],
    // mosquitto KA 2: ⌊3⌋ s safe, 9 s always
    [mosquitto, 2000, 400, "survives"],
    [mosquitto, 2000, 2000, "depends"],
    [mosquitto, 2000, 3500, "broker-kicks"],
  ] as const)("%#: keepalive %s, delay %s ms → %s", (p, ka, delay, outcome) => {
    expect(outcomeAtDelay(p, ka, delay)).toBe(outcome);
  });

  it("the sweep, its limits and the live plans (NanoMQ shipped settings, KA 10, ± 0.5 s)", () => {
    const b = latencyBudget(nanomq, 10_000, 500);
    expect(b).toMatchObject({
      brokerMaxDelayMs: 5000,
      clientMaxDelayMs: 2500,
      largestSafeLatencyMs: 2000,
      firstToGiveUp: "client-gives-up",
    });
    expect(b.sweep.map((x) => x.outcome)).toEqual([
      ...Array(4).fill("survives"),
      "depends",
      "depends",
      ...Array(5).fill("client-gives-up"),
    ]);
    expect(survivorPlan(b, 800)).toEqual({ latencyMs: 1200, jitterMs: 500, expected: "survives" });
    expect(latePlan(nanomq, b, 800, 4000)).toEqual({
      latencyMs: 3800,
      jitterMs: 500,
      expected: "client-gives-up",
    });
  });

  it("no room: a jitter that eats the whole budget leaves no survivor", () => {
    const b = latencyBudget(q1, 2000, 600);
    expect(b.largestSafeLatencyMs).toBeNull();
    expect(survivorPlan(b, 600)).toBeNull();
  });
});
