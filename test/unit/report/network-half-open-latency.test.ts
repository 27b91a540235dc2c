import { describe, expect, it } from "vitest";
import { halfOpenOutcome } from "../../../src/scenarios/half-open.js";
import { LINUX_TCP_KEEPALIVE, tcpKeepaliveDeadS } from "../../../src/scenarios/half-open-outcome.js";
import { latencyOutcome } from "../../../src/scenarios/high-latency.js";
import type { ScenarioResult } from "../../../src/scenarios/types.js";

const base: ScenarioResult = {
  name: "half-open",
  verdict: "reproduced",
  expected: [],
  signatures: [],
  clients: [],
  checks: [],
  trace: [],
  brokerObserved: true,
  timeScale: 20,
  durationMs: 40_000,
  wallMs: 2000,
  explanation: "half-open-keepalive-net",
};

describe("half-open and high-latency report lines", () => {
  it("half-open: the silence, the broker's close against its model, the client's own give-up, TCP keepalive", () => {
    const r: ScenarioResult = {
      ...base,
      outcome: halfOpenOutcome.wrap({
        clientId: "mqdiag-half-open-healthy-1",
        keepaliveMs: 10_000,
        silentAt: 17_000,
        lastInboundAt: 12_000,
        brokerClosedAt: 37_100,
        predictedFromMs: 37_000,
        predictedToMs: 37_000,
        clientTimeoutAt: 27_000,
        tcpKeepalive: LINUX_TCP_KEEPALIVE,
      }),
    };
    const text = r.outcome?.lines(r, 200).join("\n");
    expect(text).toContain("link silent both ways from 17.0 s");
    expect(text).toContain("at 37.1 s, 25.1 s after the last packet it got (model 25.0 s)");
    expect(text).toContain("the client's own keepalive gave up at 27.0 s");
    expect(text).toContain("7875 s (2 h 11 min)");
    expect(tcpKeepaliveDeadS(LINUX_TCP_KEEPALIVE)).toBe(7875);
    expect(r.outcome?.json(r)).toEqual({
      network: {
        halfOpen: {
          clientId: "mqdiag-half-open-healthy-1",
          keepalive: 10,
          silentAt: 17,
          lastInboundAt: 12,
          brokerClosedAt: 37.1,
          predictedFrom: 37,
          predictedTo: 37,
          clientTimeoutAt: 27,
          tcpKeepalive: { idleS: 7200, intervalS: 75, probes: 9, deadAfter: 7875 },
        },
      },
    });
    expect(halfOpenOutcome.of(r)?.brokerClosedAt).toBe(37_100);
    expect(latencyOutcome.of(r)).toBeUndefined();
  });

  it("high-latency: both limits, the sweep grouped, each live client", () => {
    const r: ScenarioResult = {
      ...base,
      name: "high-latency",
      outcome: latencyOutcome.wrap({
        keepaliveMs: 10_000,
        jitterMs: 500,
        brokerMaxDelayMs: 5000,
        clientMaxDelayMs: 2500,
        largestSafeLatencyMs: 2000,
        firstToGiveUp: "client-gives-up",
        sweep: [
          { latencyMs: 0, outcome: "survives" },
          { latencyMs: 500, outcome: "survives" },
          { latencyMs: 1000, outcome: "depends" },
          { latencyMs: 1500, outcome: "client-gives-up" },
        ],
        live: [
          {
            clientId: "late-1",
            latencyMs: 3800,
            jitterMs: 500,
            expected: "client-gives-up",
            seen: "client-gives-up",
            endedAt: 23_500,
          },
        ],
      }),
    };
    const text = r.outcome?.lines(r, 300).join("\n");
    expect(text).toContain("survives a one-way delay up to 5 s");
    expect(text).toContain("MQTT.js gives up from 2.5 s");
    expect(text).toContain("largest safe latency 2 s at ± 0.5 s jitter; past it the client gives up first");
    expect(text).toContain("latency sweep (± 0.5 s): 0–0.5 s survives · 1 s depends · 1.5 s client-gives-up");
    expect(text).toContain(
      "late-1 at 3.8 s ± 0.5 s each way: gave up itself (MQTT.js Keepalive timeout) at 23.5 s",
    );
    expect(r.outcome?.json(r)).toMatchObject({
      network: {
        latencyBudget: {
          brokerMaxDelay: 5,
          clientMaxDelay: 2.5,
          largestSafeLatency: 2,
          firstToGiveUp: "client-gives-up",
        },
      },
    });
    expect(halfOpenOutcome.of(r)).toBeUndefined();
  });
});
