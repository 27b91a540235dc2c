import { describe, expect, it } from "vitest";
import { buildConfigReport } from "../../../src/config/config-report.js";
import { interpretNanomqConf } from "../../../src/config/nanomq-conf.js";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import {
  kickDelayAfterConnect,
  kickDelayAfterLastPacket,
  largestSafeIntervalMs,
} from "../../../src/keepalive/predict.js";

describe("buildConfigReport", () => {
  const shipped = interpretNanomqConf("mqtt { retry_interval = 10s, keepalive_multiplier = 1.25 }");

  it("Q=10 s, M=1.25: the worked examples, per keepalive", () => {
    const report = buildConfigReport("x", shipped, [2, 10, 60, 0]);
    expect(report.schema).toBe("mqdiag.config/v1");
    expect(report.keepalives).toEqual([
      {
        keepaliveS: 2,
        kickAfterLastPacket: { minMs: 10_000, maxMs: 20_000 },
        kickAfterSilentConnectMs: 25_000,
        largestSafeIntervalMs: 10_000,
        smallestAlwaysKickedIntervalMs: 20_000,
        specDeadlineMs: 3000,
      },
      {
        keepaliveS: 10,
        kickAfterLastPacket: { minMs: 20_000, maxMs: 30_000 },
        kickAfterSilentConnectMs: 35_000,
        largestSafeIntervalMs: 20_000,
        smallestAlwaysKickedIntervalMs: 30_000,
        specDeadlineMs: 15_000,
      },
      {
        keepaliveS: 60,
        kickAfterLastPacket: { minMs: 80_000, maxMs: 90_000 },
        kickAfterSilentConnectMs: 95_000,
        largestSafeIntervalMs: 80_000,
        smallestAlwaysKickedIntervalMs: 90_000,
        specDeadlineMs: 90_000,
      },
      {
        keepaliveS: 0,
        kickAfterLastPacket: null,
        kickAfterSilentConnectMs: null,
        largestSafeIntervalMs: null,
        smallestAlwaysKickedIntervalMs: null,
        specDeadlineMs: null,
      },
    ]);
  });

  it("uses the very predictor the embedded broker's model is tested against", () => {
    const conf = interpretNanomqConf("mqtt.retry_interval = 7s\nmqtt.keepalive_multiplier = 1.7");
    const params = { ...DEFAULT_PROFILE_OPTIONS, retryIntervalMs: 7000, keepaliveMultiplier: 1.7 };
    for (const row of buildConfigReport("x", conf, [5, 45, 300]).keepalives) {
      const ms = row.keepaliveS * 1000;
      const w = kickDelayAfterLastPacket(params, ms);
      expect(row.kickAfterLastPacket).toEqual({ minMs: w?.minMs, maxMs: w?.maxMs });
      expect(row.kickAfterSilentConnectMs).toBe(kickDelayAfterConnect(params, ms)?.minMs);
      expect(row.largestSafeIntervalMs).toBe(largestSafeIntervalMs(params, ms));
    }
  });
});
