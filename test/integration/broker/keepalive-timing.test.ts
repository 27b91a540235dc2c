import { describe, expect, it } from "vitest";
import type { Broker } from "../../../src/broker/index.js";
import { manualClock, scaledClock } from "../../../src/core/clock.js";
import type { ProfileName } from "../../../src/core/profile.js";
import { broker, connectBytes, raw, until } from "./helpers.js";

/** Scale for kick-time tests (≤ 50 so that ±0.5 scenario s is ≥ 10 real ms); 20: 0.5 s = 25 ms real. */
const SCALE = 20;
const TOLERANCE_S = 0.5;

/**
 * A raw client connects with keepalive `keepaliveS`, sends PINGREQ at the given scenario seconds after CONNACK,
 * and measures on the broker's clock how long after CONNACK the broker closed it.
 */
async function kickAfterS(b: Broker, keepaliveS: number, pingAtS: number[] = []): Promise<number> {
  const s = await raw(b);
  const connack = new Promise<number>((resolve) => s.socket.once("data", () => resolve(b.clock.now())));
  s.socket.write(connectBytes(`ka-${keepaliveS}`, keepaliveS));
  const connackAt = await connack;
  for (const at of pingAtS) b.clock.setTimeout(() => s.socket.write(Buffer.from("c000", "hex")), at * 1000);
  await s.closed;
  return (b.clock.now() - connackAt) / 1000;
}

describe("keepalive kicks through real sockets on a scaled clock", () => {
  const cases: [
    string,
    ProfileName,
    Partial<{ retryIntervalMs: number; keepaliveMultiplier: number }>,
    number,
    number[],
    number,
  ][] = [
    // docs/broker-facts.md worked examples: Q = 10 s, M = 1.25
    [
      "nanomq KA=2 silent → 25 s",
      "nanomq",
      { retryIntervalMs: 10_000, keepaliveMultiplier: 1.25 },
      2,
      [],
      25,
    ],
    [
      "nanomq KA=60 silent → 95 s",
      "nanomq",
      { retryIntervalMs: 10_000, keepaliveMultiplier: 1.25 },
      60,
      [],
      95,
    ],
    // ping at 30 s: ticks at 15 + 10k s; n·Q > 75 first at the tick of 115 s, i.e. 85 s after the ping (in 80–90)
    [
      "nanomq KA=60 ping at 30 s → 115 s",
      "nanomq",
      { retryIntervalMs: 10_000, keepaliveMultiplier: 1.25 },
      60,
      [30],
      115,
    ],
    // Q = 1 s, M = 1.5, KA = 4: 1.5 + 1·(⌊6/1⌋ + 1) = 8.5 s
    [
      "nanomq Q=1 M=1.5 KA=4 → 8.5 s",
      "nanomq",
      { retryIntervalMs: 1_000, keepaliveMultiplier: 1.5 },
      4,
      [],
      8.5,
    ],
    // spec: exactly 1.5 × KA after the last inbound packet
    ["spec KA=4 → 6 s", "spec", {}, 4, [], 6],
    ["spec KA=4 ping at 5 s → 11 s", "spec", {}, 4, [5], 11],
  ];

  it.each(cases)("%s", async (_name, profile, options, keepaliveS, pings, expectedS) => {
    const b = await broker({ profile, ...options, clock: scaledClock(SCALE) });
    const measured = await kickAfterS(b, keepaliveS, pings);
    expect(Math.abs(measured - expectedS)).toBeLessThanOrEqual(TOLERANCE_S);
    expect(b.logLines().filter((l) => l.signature === "keepalive-timeout")).toHaveLength(1);
  });

  it("mosquitto KA=2 silent: kicked by the 6 s sweep, in (3, 9] s", async () => {
    const b = await broker({ profile: "mosquitto", clock: scaledClock(SCALE) });
    const measured = await kickAfterS(b, 2);
    expect(measured).toBeGreaterThan(3 - TOLERANCE_S);
    expect(measured).toBeLessThanOrEqual(9 + TOLERANCE_S);
  });

  it("keepalive 0 is never kicked (nanomq, current builds)", async () => {
    const clock = manualClock();
    const b = await broker({ profile: "nanomq", retryIntervalMs: 1_000, clock });
    const s = await raw(b);
    s.socket.write(connectBytes("ka-0", 0));
    await until(() => b.logLines().some((l) => l.signature === "client-connected"), 5_000, "the CONNECT");
    clock.advance(60_000); // 60 ticks, at once
    expect(b.logLines().filter((l) => l.signature === "keepalive-timeout")).toHaveLength(0);
    expect(b.stats().connections).toBe(1);
    expect(s.isClosed()).toBe(false);
  });
});
