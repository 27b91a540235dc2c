import { describe, expect, it } from "vitest";
import { ejabberdLimitMs } from "../../../src/keepalive/predict-ejabberd.js";
import { hivemqTimeoutMs } from "../../../src/keepalive/predict-hivemq.js";
import { keepaliveAnswer } from "../../../src/probe/keepalive-answer.js";
import { fingerprint, type KickSample } from "../../../src/probe/keepalive-fingerprint.js";

/** Silent sessions kicked `lagS` after the model's whole-second deadline (a timer and a close are never early). */
function samples(limitMs: (ms: number) => number | null, keepalives: number[], lagS: number): KickSample[] {
  return keepalives.flatMap((keepalive) =>
    [0, 1, 2].map((i) => ({
      keepalive,
      kickAfter: (limitMs(keepalive * 1000) ?? 0) / 1000 + lagS + i * 0.002,
    })),
  );
}

describe("the keepalive fit names a multiplier rounded to whole seconds", () => {
  it("ejabberd (round(1.5 × KA), halves up): exact 1.5 rounded up, from the probe's default keepalives 1, 2, 4", () => {
    const fp = fingerprint(samples(ejabberdLimitMs, [1, 2, 4], 0.01), 60);
    expect(fp.inferred).toMatchObject({ model: "exact", multiplier: 1.5, wholeSeconds: "up", alsoFits: [] });
    expect(fp.inferred.multiplierRange).toEqual([1.25, 1.5]);
    // what the broker does at other keepalives follows: 3 → 5 s, 5 → 8 s
    expect(keepaliveAnswer(fp.inferred, 3).afterLastPacket).toEqual({ min: 5, max: 5 });
    expect(keepaliveAnswer(fp.inferred, 5).afterLastPacket).toEqual({ min: 8, max: 8 });
  });

  it("HiveMQ's ⌊1.5 × KA⌋ (from its source): exact 1.5 rounded down, at keepalives 1, 3, 5", () => {
    const fp = fingerprint(samples(hivemqTimeoutMs, [1, 3, 5], 0.05), 60);
    expect(fp.inferred).toMatchObject({
      model: "exact",
      multiplier: 1.5,
      wholeSeconds: "down",
      alsoFits: [],
    });
  });

  it("a plain product stays plain: 1.5 × KA at 1, 2, 4 is exact without rounding", () => {
    const fp = fingerprint(
      samples((ms) => ms * 1.5, [1, 2, 4], 0.01),
      60,
    );
    expect(fp.inferred.model).toBe("exact");
    expect(fp.inferred.wholeSeconds).toBeUndefined();
  });

  it("kicks off whole seconds (NanoMQ's tick at Q 1 s lands on halves) are not read as rounded", () => {
    // 2.5 + f s after CONNECT: never near a whole second
    const fp = fingerprint(
      [1, 2, 4].map((keepalive) => ({ keepalive, kickAfter: 2.5 + Math.floor(keepalive * 1.5) })),
      60,
    );
    expect(fp.inferred.wholeSeconds).toBeUndefined();
    expect(fp.inferred.model).not.toBe("exact");
  });
});
