import { describe, expect, it } from "vitest";
import type { LinkFault } from "../../../src/link/index.js";
import { broker, clockAt, mqttClient, pingRtt, rawClient, relay } from "./helpers.js";

/**
 * Latency and jitter measured through the relay against the embedded broker, on a ×2 clock. Timers on the scaled
 * clock never fire early, so a round trip is never below its delays; above them the allowance is 100 clock ms
 * (50 real ms at ×2: timer and socket lag on a loaded 2-core machine). The first round trip (code still being
 * compiled) is not counted.
 */
const SCALE = 2;
const LAG_MS = 100;

async function roundTrips(faults: LinkFault[], n: number): Promise<number[]> {
  const clock = clockAt(SCALE);
  const b = await broker(clock);
  const r = await relay(clock, b, { faults, seed: 11 });
  const c = await rawClient(clock, r, "link-latency-1");
  await pingRtt(clock, c);
  const rtts: number[] = [];
  for (let i = 0; i < n; i++) rtts.push(await pingRtt(clock, c));
  return rtts;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("latency through the relay", () => {
  it("300 ms each way: every PINGREQ→PINGRESP takes 600 ms", async () => {
    const rtts = await roundTrips([{ kind: "latency", latencyMs: 300 }], 5);
    for (const rtt of rtts) {
      expect(rtt).toBeGreaterThanOrEqual(600);
      expect(rtt).toBeLessThanOrEqual(600 + LAG_MS);
    }
  });

  it("300 ms towards the broker only: 300 ms round trips", async () => {
    const rtts = await roundTrips([{ kind: "latency", latencyMs: 300, direction: "to-broker" }], 5);
    for (const rtt of rtts) {
      expect(rtt).toBeGreaterThanOrEqual(300);
      expect(rtt).toBeLessThanOrEqual(300 + LAG_MS);
    }
  });

  it("200 ± 100 ms each way: round trips spread over [200, 600] ms around 400", async () => {
    const rtts = await roundTrips([{ kind: "latency", latencyMs: 200, jitterMs: 100 }], 24);
    for (const rtt of rtts) {
      expect(rtt).toBeGreaterThanOrEqual(200);
      expect(rtt).toBeLessThanOrEqual(600 + LAG_MS);
    }
    // the sum of two uniform ±100 ms draws: σ ≈ 82 ms, so the mean of 24 is 400 ± 17 ms (σ) plus the lag
    expect(mean(rtts)).toBeGreaterThan(400 - 70);
    expect(mean(rtts)).toBeLessThan(400 + 70 + LAG_MS / 2);
    expect(Math.max(...rtts) - Math.min(...rtts)).toBeGreaterThan(100);
  });

  it("jitter never reorders: 300 numbered PUBLISHes come back in order", async () => {
    const clock = clockAt(SCALE);
    const b = await broker(clock);
    const r = await relay(clock, b, {
      faults: [{ kind: "latency", latencyMs: 100, jitterMs: 100 }],
      seed: 3,
    });
    const c = await mqttClient(clock, r, "link-order-1");
    await c.subscribeAsync("link/order");
    const got: number[] = [];
    const all = new Promise<void>((resolve) =>
      c.on("message", (_topic, payload) => {
        got.push(Number(payload.toString()));
        if (got.length === 300) resolve();
      }),
    );
    for (let i = 1; i <= 300; i++) {
      c.publish("link/order", String(i));
      if (i % 10 === 0) await clock.sleep(5);
    }
    await all;
    expect(got).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });
});
