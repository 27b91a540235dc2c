import { describe, expect, it } from "vitest";
import { expiryOutcome } from "../../../src/broker/sessions/message-expiry.js";

/** The interval a forwarded message carries, per profile arithmetic (src/broker/sessions/message-expiry.ts). */
describe("message expiry arithmetic", () => {
  // [model, interval s, received at ms, now ms, outcome]
  const table: [Parameters<typeof expiryOutcome>[0], number | undefined, number, number, string][] = [
    ["exact", undefined, 0, 99_000, "none"],
    ["exact", 10, 0, 0, "send 10"],
    ["exact", 10, 0, 2_200, "send 8"], // 7.8 s left, rounded up
    ["exact", 10, 0, 9_999, "send 1"], // never 0 while alive
    ["exact", 10, 0, 10_000, "expired"],
    ["exact", 1, 500, 1_400, "send 1"],
    // mosquitto: expires at ⌊received s⌋ + interval, carries that less ⌊now s⌋
    ["whole-seconds", 10, 0, 2_200, "send 8"],
    ["whole-seconds", 10, 900, 3_100, "send 7"], // 2.2 s waited across three second boundaries
    ["whole-seconds", 1, 900, 1_200, "expired"], // gone 0.3 s after it came
    ["whole-seconds", 30, 999, 1_001, "send 29"],
    // NanoMQ: the received value, dropped once past it
    ["unchanged", 10, 0, 4_500, "send 10"],
    ["unchanged", 1, 0, 1_001, "expired"],
  ];
  for (const [model, interval, at, now, expected] of table) {
    it(`${model}: ${interval ?? "no"} s received at ${at} ms, at ${now} ms → ${expected}`, () => {
      const o = expiryOutcome(model, interval, at, now);
      expect(o.kind === "send" ? `send ${o.intervalS}` : o.kind).toBe(expected);
    });
  }
});
