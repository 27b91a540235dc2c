import { describe, expect, it } from "vitest";
import { createMosquittoModel } from "../../../src/broker/keepalive/mosquitto.js";
import { manualClock } from "../../../src/core/clock.js";
import { predictKickAt } from "../../../src/keepalive/predict.js";
import { runtimeKickAt } from "./drive-runtime.js";
import { KICK_TABLE, paramsOf } from "./kick-table.js";

describe("runtime models on a manual clock agree with the table and the predictor", () => {
  it.each(KICK_TABLE)("$name", (row) => {
    const until = Math.max(row.kickAt ?? 0, ...(row.inboundAt ?? [0])) + 200_000;
    const { kickAt } = runtimeKickAt(paramsOf(row), row, until);
    expect(kickAt).toBe(row.kickAt);
    const predicted = predictKickAt(paramsOf(row), {
      ...row,
      sweepPhaseMs: row.profile === "mosquitto" ? (row.sweepPhaseMs ?? row.connectAt ?? 0) : undefined,
    });
    expect(kickAt).toBe(predicted);
  });

  it("nanomq ticks: 1.5·Q after CONNECT then every Q, counter n, the last tick kicks", () => {
    const row = KICK_TABLE.find((r) => r.name.startsWith("nanomq KA=2 silent"));
    if (!row) throw new Error("row missing");
    const { ticks } = runtimeKickAt(paramsOf(row), row, 100_000);
    expect(ticks).toEqual([
      { at: 15_000, counter: 1, kicked: false },
      { at: 25_000, counter: 1, kicked: true },
    ]);
  });
});

describe("mosquitto sweep lifecycle", () => {
  it("start() fixes the sweep phase at the broker's start; close() stops the sweep", () => {
    const clock = manualClock();
    const model = createMosquittoModel(clock);
    try {
      clock.advanceTo(2300);
      model.start?.();
      expect(model.sweepPhaseMs()).toBe(3000);
      clock.advanceTo(10_000);
      let kickAt: number | null = null;
      model.watch(5000, { onKick: (k) => (kickAt = k.at) }); // earliest kickable second 18 → sweep at 21 s
      clock.advanceTo(30_000);
      expect(kickAt).toBe(21_000);
      model.close();
      expect(clock.pending()).toBe(0);
    } finally {
      model.close();
    }
  });
});
