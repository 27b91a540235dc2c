import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type TickFault } from "../../../src/core/profile.js";
import { nanomqKickCounter } from "../../../src/keepalive/nanomq-arithmetic.js";
import { periodicPingerOutcome } from "../../../src/keepalive/on-time.js";
import {
  type KeepaliveParams,
  kickDelayAfterConnect,
  kickDelayAfterLastPacket,
  largestSafeIntervalMs,
  predictKickAt,
  predictKickWindow,
  smallestAlwaysKickedIntervalMs,
} from "../../../src/keepalive/predict.js";
import { faultyKickWindow } from "../../../src/keepalive/predict-nanomq-fault.js";
import { tickSchedule } from "../../../src/keepalive/tick-fault.js";
import { runtimeKickAt } from "./drive-runtime.js";
import { KICK_TABLE, paramsOf } from "./kick-table.js";

/** The simulated tick fault (a model of a faulty nng timer; the real NanoMQ has no such knob). */
const S = 1000;
const fault = (f: Partial<TickFault>): TickFault => ({ jitterMs: 0, drift: 0, seed: 1, ...f });
const nanomq = (extra: Partial<KeepaliveParams> = {}): KeepaliveParams => ({
  ...DEFAULT_PROFILE_OPTIONS,
  ...extra,
});
const q1 = (f: Partial<TickFault>) => nanomq({ retryIntervalMs: 1 * S, tickFault: fault(f) });

describe("tick fault: the schedule", () => {
  it("no fault (or jitter 0, drift 0): the plain schedule, bit for bit", () => {
    for (const f of [undefined, fault({})]) {
      const at = tickSchedule(123, 10 * S, f, () => 0.5);
      expect([0, 1, 2].map(at)).toEqual([15_123, 25_123, 35_123]);
    }
  });

  it("drift −25 %, Q 1 s: 1.125 s, then every 0.75 s; jitter carries into later ticks", () => {
    expect([0, 1, 2].map(tickSchedule(0, S, fault({ drift: -0.25 }), () => 0))).toEqual([1125, 1875, 2625]);
    const late = tickSchedule(0, S, fault({ jitterMs: 200 }), () => 0.5);
    expect([0, 1, 2].map(late)).toEqual([1600, 2700, 3800]);
  });
});

describe("tick fault: the widened prediction (exact arithmetic)", () => {
  it("silent since CONNECT, KA 2 s, Q 1 s, M 1.25 (N = 3): 4.5 s; drift −25 % → 3.375 s; +10 % → 4.95 s", () => {
    const q = { keepaliveMs: 2 * S };
    expect(predictKickAt(q1({}), q)).toBe(4500);
    expect(predictKickAt(q1({ drift: -0.25 }), q)).toBe(3375);
    expect(predictKickAt(q1({ drift: 0.1 }), q)).toBe(4950);
    expect(kickDelayAfterConnect(q1({ drift: -0.25 }), 2 * S)).toEqual({
      minMs: 3375,
      maxMs: 3375,
      exact: true,
    });
  });

  it("jitter 200 ms: the silent client's kick anywhere in [4.5 s, 4.5 + 4 × 0.2 s]; no exact time", () => {
    const p = q1({ jitterMs: 200 });
    expect(predictKickWindow(p, { keepaliveMs: 2 * S })).toEqual({
      earliestMs: 4500,
      latestMs: 5300,
      exact: false,
    });
    expect(kickDelayAfterConnect(p, 2 * S)).toEqual({ minMs: 4500, maxMs: 5300, exact: false });
    expect(() => predictKickAt(p, { keepaliveMs: 2 * S })).toThrow(RangeError);
  });

  it("after the last packet, Q 10 s, M 1.25, KA 60 (N = 8): 80–90 s widens to 80–108 s (jitter 2 s), 84–94.5 s (+5 %), 64–72 s (−20 %)", () => {
    const p = (f: Partial<TickFault>) => nanomq({ tickFault: fault(f) });
    expect(kickDelayAfterLastPacket(nanomq(), 60 * S)).toEqual({
      minMs: 80 * S,
      maxMs: 90 * S,
      exact: false,
    });
    expect(kickDelayAfterLastPacket(p({ jitterMs: 2 * S }), 60 * S)).toEqual({
      minMs: 80 * S,
      maxMs: 108 * S,
      exact: false,
    });
    expect(kickDelayAfterLastPacket(p({ drift: 0.05 }), 60 * S)).toEqual({
      minMs: 84 * S,
      maxMs: 94.5 * S,
      exact: false,
    });
    expect(largestSafeIntervalMs(p({ drift: -0.2 }), 60 * S)).toBe(64 * S);
    expect(smallestAlwaysKickedIntervalMs(p({ drift: -0.2 }), 60 * S)).toBe(72 * S);
  });

  it("a client pinging every 2 s (KA 2, Q 1 s, N = 3): survives the true timer, kicked at 3.9 s by one 40 % fast", () => {
    expect(periodicPingerOutcome(q1({}), 2 * S, 2 * S, 10).outcome).toBe("survives");
    // ticks 0.9, 1.5, 2.1, 2.7, 3.3, 3.9 s: four in (2 s, 4 s], the fourth finds n = 3 > 2.5/1
    const fast = periodicPingerOutcome(q1({ drift: -0.4 }), 2 * S, 2 * S, 10);
    expect(fast).toEqual({
      outcome: "kicked",
      window: { earliestMs: 3900, latestMs: 3900, exact: true },
      lastPacketMs: 20 * S,
    });
  });

  it("slow or late ticks never kick an on-time client: they only count fewer ticks per gap", () => {
    for (const f of [{ drift: 0.5 }, { jitterMs: 900 }, { drift: 0.05, jitterMs: 5 * S }]) {
      expect(periodicPingerOutcome(q1(f), 2 * S, 2 * S, 20).outcome).toBe("survives");
    }
  });

  it("jitter on a fast timer: kicked under some draws only; the window spans them", () => {
    const r = periodicPingerOutcome(q1({ drift: -0.35, jitterMs: 100 }), 2 * S, 2 * S, 10);
    expect(r.outcome).toBe("may-be-kicked");
    expect(r.window?.earliestMs).toBeLessThan(20 * S);
    expect(r.window?.latestMs).toBeGreaterThan(20 * S);
  });

  it("drift 0 and jitter 0 through the window walk: every nanomq row of the kick table, exactly", () => {
    for (const row of KICK_TABLE.filter((r) => r.profile === "nanomq" && r.kickAt !== null)) {
      const p = paramsOf(row);
      const n = nanomqKickCounter(p.retryIntervalMs, row.keepaliveMs, p.keepaliveMultiplier);
      const w = faultyKickWindow({ n, retryIntervalMs: p.retryIntervalMs, fault: fault({}) }, row);
      expect({ name: row.name, at: w.earliestMs, exact: w.exact }).toEqual({
        name: row.name,
        at: row.kickAt,
        exact: true,
      });
    }
  });
});

describe("tick fault: the runtime model stays inside the widened window", () => {
  const histories = [
    { keepaliveMs: 2 * S, inboundAt: [] as number[] },
    { keepaliveMs: 2 * S, inboundAt: [2 * S, 4 * S, 6 * S, 8 * S] },
    { keepaliveMs: 5 * S, inboundAt: [1700, 5 * S, 9100] },
  ];
  it.each([
    { drift: 0, jitterMs: 300 },
    { drift: -0.3, jitterMs: 150 },
    { drift: 0.2, jitterMs: 1000 },
  ])("drift $drift, jitter $jitterMs ms: 40 seeds each", (f) => {
    for (const h of histories) {
      for (let seed = 1; seed <= 40; seed++) {
        const p = q1({ ...f, seed });
        const w = predictKickWindow(p, h);
        const { kickAt } = runtimeKickAt(p, h, 60 * S);
        expect(kickAt).not.toBeNull();
        expect(kickAt).toBeGreaterThanOrEqual(w?.earliestMs ?? Number.NaN);
        expect(kickAt).toBeLessThanOrEqual(w?.latestMs ?? Number.NaN);
      }
    }
  });

  it("drift alone is deterministic: the runtime kicks exactly where predicted", () => {
    const p = q1({ drift: -0.4 });
    const h = { keepaliveMs: 2 * S, inboundAt: [2 * S, 4 * S, 6 * S] };
    expect(runtimeKickAt(p, h, 60 * S).kickAt).toBe(3900);
    expect(predictKickAt(p, h)).toBe(3900);
  });
});

describe("tick fault: a history too long to walk tick by tick", () => {
  it("Q 1 ms against an hour of packets: the coarse bounds, holding the walk's answer", () => {
    const p = nanomq({ retryIntervalMs: 1, tickFault: fault({ jitterMs: 1 }) });
    const w = predictKickWindow(p, { keepaliveMs: 2 * S, inboundAt: [3_600_000] });
    expect(w?.exact).toBe(false);
    expect(w?.earliestMs).toBe(1.5 + 2501 * 1); // N = 2501 ticks after the first, 1 ms apart
    expect(w?.latestMs).toBe(3_600_000 + 1.5 + 1 + 2501 * 2);
  });
});
