import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import {
  kickDelayAfterConnect,
  kickDelayAfterLastPacket,
  largestSafeIntervalMs,
  predictKickAt,
  predictKickWindow,
  smallestAlwaysKickedIntervalMs,
} from "../../../src/keepalive/predict.js";
import { KICK_TABLE, paramsOf } from "./kick-table.js";

const nanomq = DEFAULT_PROFILE_OPTIONS;
const mosquitto = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" as const };
const spec = { ...DEFAULT_PROFILE_OPTIONS, profile: "spec" as const };

describe("predictKickAt (table)", () => {
  it.each(KICK_TABLE)("$name", (row) => {
    const at = predictKickAt(paramsOf(row), {
      keepaliveMs: row.keepaliveMs,
      connectAt: row.connectAt,
      inboundAt: row.inboundAt,
      sweepPhaseMs: row.profile === "mosquitto" ? (row.sweepPhaseMs ?? row.connectAt ?? 0) : undefined,
    });
    expect(at).toBe(row.kickAt);
  });

  it("mosquitto without a sweep phase has no exact answer", () => {
    expect(() => predictKickAt(mosquitto, { keepaliveMs: 60_000 })).toThrow(RangeError);
  });
});

describe("kick windows", () => {
  it("nanomq Q=10 s M=1.25 KA=60: 80–90 s after the last packet, 95 s after a silent CONNECT", () => {
    expect(kickDelayAfterLastPacket(nanomq, 60_000)).toEqual({ minMs: 80_000, maxMs: 90_000, exact: false });
    expect(kickDelayAfterConnect(nanomq, 60_000)).toEqual({ minMs: 95_000, maxMs: 95_000, exact: true });
    expect(kickDelayAfterConnect(nanomq, 2_000)?.minMs).toBe(25_000);
  });

  it("mosquitto KA=60: (90 s, 96 s]; KA=5: (7 s, 13 s]", () => {
    expect(kickDelayAfterLastPacket(mosquitto, 60_000)).toEqual({
      minMs: 90_000,
      maxMs: 96_000,
      exact: false,
    });
    expect(kickDelayAfterLastPacket(mosquitto, 5_000)).toEqual({ minMs: 7_000, maxMs: 13_000, exact: false });
  });

  it("spec: exactly 1.5 × KA", () => {
    expect(kickDelayAfterLastPacket(spec, 60_000)).toEqual({ minMs: 90_000, maxMs: 90_000, exact: true });
  });

  it("keepalive 0 is never kicked", () => {
    for (const p of [nanomq, mosquitto, spec]) {
      expect(kickDelayAfterLastPacket(p, 0)).toBeNull();
      expect(largestSafeIntervalMs(p, 0)).toBe(Number.POSITIVE_INFINITY);
    }
  });

  it("largest safe / smallest always-kicked ping interval", () => {
    expect(largestSafeIntervalMs(nanomq, 60_000)).toBe(80_000);
    expect(smallestAlwaysKickedIntervalMs(nanomq, 60_000)).toBe(90_000);
    expect(largestSafeIntervalMs(nanomq, 10_000)).toBe(20_000); // small keepalives are dominated by Q
    expect(largestSafeIntervalMs(mosquitto, 60_000)).toBe(90_000);
    expect(smallestAlwaysKickedIntervalMs(mosquitto, 60_000)).toBe(96_000);
    expect(largestSafeIntervalMs(spec, 60_000)).toBe(90_000);
  });

  it("mosquitto phase unknown: the absolute window brackets every phase", () => {
    const query = { keepaliveMs: 10_000, inboundAt: [14_500] };
    const window = predictKickWindow(mosquitto, query);
    expect(window).toEqual({ earliestMs: 30_000, latestMs: 35_000, exact: false });
    const seen = new Set<number | null>();
    for (let phase = -5000; phase <= 0; phase += 1000) {
      const at = predictKickAt(mosquitto, { ...query, sweepPhaseMs: phase });
      seen.add(at);
      expect(at).toBeGreaterThanOrEqual(window?.earliestMs ?? Number.NaN);
      expect(at).toBeLessThanOrEqual(window?.latestMs ?? Number.NaN);
    }
    expect([...seen].sort()).toEqual([30_000, 31_000, 32_000, 33_000, 34_000, 35_000]);
  });

  it("nanomq and spec windows are exact", () => {
    expect(predictKickWindow(nanomq, { keepaliveMs: 60_000 })).toEqual({
      earliestMs: 95_000,
      latestMs: 95_000,
      exact: true,
    });
  });
});
