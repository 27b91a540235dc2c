import { describe, expect, it } from "vitest";
import {
  emqxCheckIntervalMs,
  emqxEffectiveMultiplier,
  emqxMaxIdleMs,
} from "../../../src/keepalive/emqx-arithmetic.js";
import { aedesKickAt } from "../../../src/keepalive/predict-aedes.js";
import { EMQX_DEFAULT_PARAMS, emqxKickAt } from "../../../src/keepalive/predict-emqx.js";
import { emqxLegacyKickAt } from "../../../src/keepalive/predict-emqx-legacy.js";
import { hivemqKickWindow, hivemqTimeoutMs } from "../../../src/keepalive/predict-hivemq.js";
import { rabbitmqKickAt } from "../../../src/keepalive/predict-rabbitmq.js";
import {
  MODEL_EVIDENCE,
  SOURCE_MODEL_DEFAULTS,
  sourceDelayAfterConnect,
  sourceDelayAfterLastPacket,
  sourceKickWindow,
  sourceLargestSafeIntervalMs,
} from "../../../src/keepalive/predict-source.js";
import { vernemqKickAt } from "../../../src/keepalive/predict-vernemq.js";
import {
  mulberry32,
  simulateEmqx,
  simulateEmqxLegacy,
  simulateRabbitmq,
  simulateVernemq,
} from "./source-sim.js";

const S = 1000;
const emqx = EMQX_DEFAULT_PARAMS;

describe("EMQX ≥ 5.7.2 (from the source, not run)", () => {
  it("check interval clamp(30 s, 1 s, KA/2) and max idle ceil(KA·M), IEEE as in Erlang", () => {
    expect(emqxCheckIntervalMs(30 * S, 60 * S)).toBe(30 * S);
    expect(emqxCheckIntervalMs(30 * S, 10 * S)).toBe(5 * S);
    expect(emqxCheckIntervalMs(30 * S, 1 * S)).toBe(1 * S); // max(500, 1000)
    expect(emqxCheckIntervalMs(100, 60 * S)).toBe(1 * S);
    expect(emqxMaxIdleMs(3 * S, 1.1)).toBe(3301); // 3000 × 1.1 = 3300.0000000000005
  });

  it.each([
    ["KA 60 silent: 3 idle checks of 30 s", 60, [], [], 90],
    ["KA 60 PINGREQ at 50 s: the timer restarts there", 60, [], [50], 140],
    ["KA 60 PUBLISH at 50 s: seen by the check at 60 s", 60, [50], [], 150],
    ["KA 10 silent: I = 5 s, k = 3", 10, [], [], 15],
    ["KA 10 PUBLISH at 7 s", 10, [7], [], 25],
    ["KA 10 PINGREQ at 7 s", 10, [], [7], 22],
    ["KA 1 silent: I = 1 s, max idle 1.5 s → 2 checks", 1, [], [], 2],
    ["KA 120 silent: I = 30 s, k = 6", 120, [], [], 180],
    ["KA 60 pinging every 60 s survives", 60, [], [60, 120, 180], 270],
  ] as const)("%s", (_name, ka, inbound, pings, kickS) => {
    const q = {
      keepaliveMs: ka * S,
      inboundAt: inbound.map((t) => t * S),
      pingreqAt: pings.map((t) => t * S),
    };
    expect(emqxKickAt(emqx, q)).toBe(kickS * S);
  });

  it("M 1.1 at KA 10: max idle 11000 ms, 3 checks; M 1.0: 2", () => {
    expect(emqxKickAt({ ...emqx, multiplier: 1.1 }, { keepaliveMs: 10 * S })).toBe(15 * S);
    expect(emqxKickAt({ ...emqx, multiplier: 1.0 }, { keepaliveMs: 10 * S })).toBe(10 * S);
  });

  it("keepalive_backoff → multiplier = 2·backoff unless the multiplier is set to something else than 1.5", () => {
    expect(emqxEffectiveMultiplier(undefined, undefined)).toBe(1.5);
    expect(emqxEffectiveMultiplier(undefined, 0.6)).toBe(1.2);
    expect(emqxEffectiveMultiplier(1.5, 0.6)).toBe(1.2); // the backoff beats an explicit 1.5
    expect(emqxEffectiveMultiplier(2, 0.6)).toBe(2);
  });

  it("delays: after a packet (k·I, (k+1)·I], after CONNECT exactly k·I", () => {
    const m = SOURCE_MODEL_DEFAULTS.emqx;
    expect(sourceDelayAfterLastPacket(m, 60 * S)).toEqual({ minMs: 90 * S, maxMs: 120 * S, exact: false });
    expect(sourceDelayAfterConnect(m, 60 * S)).toEqual({ minMs: 90 * S, maxMs: 90 * S, exact: true });
    expect(sourceDelayAfterLastPacket(m, 10 * S)).toEqual({ minMs: 15 * S, maxMs: 20 * S, exact: false });
  });
});

describe("EMQX before 5.7.2 (from the source, not run)", () => {
  const v526 = SOURCE_MODEL_DEFAULTS["emqx-5.0.26"];
  const v50 = SOURCE_MODEL_DEFAULTS["emqx-5.0"];
  it.each([
    ["5.0.26–5.7.1 KA 60 silent: one fire of 90 s", v526, [], 90],
    ["5.0.26–5.7.1 KA 60 packet at 50 s: fire 90 sees it, fire 180 kicks", v526, [50], 180],
    ["5.0.26–5.7.1 KA 60 packet at 90 s: the fire at 90 s runs first and kicks", v526, [90], 90],
    ["5.0.0–5.0.25 KA 60 silent: two fires of 45 s", v50, [], 90],
    ["5.0.0–5.0.25 KA 60 packet at 50 s", v50, [50], 180],
  ] as const)("%s", (_name, params, inbound, kickS) => {
    expect(emqxLegacyKickAt(params, { keepaliveMs: 60 * S, inboundAt: inbound.map((t) => t * S) })).toBe(
      kickS * S,
    );
  });

  it("1× to 2× KA·M after the last packet (emqx#11685); 5.0.0–5.0.25: 1.5× to 2.25× KA", () => {
    expect(sourceDelayAfterLastPacket(v526, 60 * S)).toEqual({ minMs: 90 * S, maxMs: 180 * S, exact: false });
    expect(sourceDelayAfterLastPacket(v50, 60 * S)).toEqual({ minMs: 90 * S, maxMs: 135 * S, exact: false });
  });
});

describe("HiveMQ CE, VerneMQ (from the source, not run), aedes and RabbitMQ (measured)", () => {
  it("HiveMQ: (int)(1.5·KA) s, at least 1 s; the close up to 100 ms after the decision", () => {
    expect([1, 3, 5, 60].map((ka) => hivemqTimeoutMs(ka * S))).toEqual([1 * S, 4 * S, 7 * S, 90 * S]);
    expect(hivemqKickWindow({ keepaliveMs: 5 * S, inboundAt: [3 * S] })).toEqual({
      earliestMs: 10 * S,
      latestMs: 10_100,
      exact: false,
    });
  });

  it("VerneMQ: checks every 0.75·KA kick past 1.5·KA: 1.5×–2.25×", () => {
    expect(vernemqKickAt({ keepaliveMs: 60 * S })).toBe(135 * S);
    expect(vernemqKickAt({ keepaliveMs: 60 * S, inboundAt: [50 * S] })).toBe(180 * S);
    expect(vernemqKickAt({ keepaliveMs: 60 * S, inboundAt: [45 * S] })).toBe(180 * S);
    expect(sourceDelayAfterLastPacket(SOURCE_MODEL_DEFAULTS.vernemq, 60 * S)).toEqual({
      minMs: 90 * S,
      maxMs: 135 * S,
      exact: false,
    });
  });

  it("aedes (measured, and its source): 1.5·KA + 1 ms after the last packet", () => {
    expect(aedesKickAt({ keepaliveMs: 60 * S, inboundAt: [10 * S] })).toBe(100_001);
    expect(sourceLargestSafeIntervalMs(SOURCE_MODEL_DEFAULTS.aedes, 60 * S)).toBe(90_001);
  });

  it("RabbitMQ 3.10 (measured): wakes every KA from CONNECT, the second quiet wake kicks", () => {
    expect(rabbitmqKickAt({ keepaliveMs: 5 * S })).toBe(15 * S);
    expect(rabbitmqKickAt({ keepaliveMs: 1 * S, inboundAt: [600] })).toBe(3 * S); // measured 3.010 s
    expect(rabbitmqKickAt({ keepaliveMs: 1 * S, inboundAt: [1200] })).toBe(4 * S); // measured 4.029 s
    expect(rabbitmqKickAt({ keepaliveMs: 1 * S, inboundAt: [1800] })).toBe(4 * S); // measured 4.011 s
    expect(rabbitmqKickAt({ keepaliveMs: 2 * S, inboundAt: [2 * S] })).toBe(8 * S); // read by the wake at 4 s
    expect(rabbitmqKickAt({ keepaliveMs: 2 * S, inboundAt: [1 * S, 3 * S, 5 * S] })).toBe(10 * S);
    const m = SOURCE_MODEL_DEFAULTS.rabbitmq;
    expect(sourceDelayAfterConnect(m, 60 * S)).toEqual({ minMs: 180 * S, maxMs: 180 * S, exact: true });
    expect(sourceDelayAfterLastPacket(m, 60 * S)).toEqual({ minMs: 120 * S, maxMs: 180 * S, exact: false });
  });

  it("measured vs from the source: aedes, RabbitMQ and ejabberd ran here, the others did not", () => {
    expect(Object.entries(MODEL_EVIDENCE).filter(([, e]) => e === "measured")).toEqual([
      ["aedes", "measured"],
      ["rabbitmq", "measured"],
      ["ejabberd", "measured"],
    ]);
  });

  it("keepalive 0 is never kicked by any of them", () => {
    for (const m of Object.values(SOURCE_MODEL_DEFAULTS)) {
      expect(sourceKickWindow(m, { keepaliveMs: 0 })).toBeNull();
      expect(sourceLargestSafeIntervalMs(m, 0)).toBe(Number.POSITIVE_INFINITY);
    }
  });
});

describe("closed forms agree with a tick-by-tick run of each source's state machine", () => {
  const rand = mulberry32(18);
  const timeline = (ka: number) => {
    const times: number[] = [];
    let t = 0;
    for (let n = Math.floor(rand() * 6); n > 0; n--) {
      t += Math.floor(rand() * 2.5 * ka * S);
      times.push(t);
    }
    return times;
  };
  it("EMQX ≥ 5.7.2 with PINGREQs and other packets, several check intervals and multipliers", () => {
    for (let run = 0; run < 400; run++) {
      const ka = 1 + Math.floor(rand() * 90);
      const params = {
        multiplier: [1, 1.1, 1.5, 2][run % 4] as number,
        checkIntervalMs: ([30, 7, 1][run % 3] as number) * S,
      };
      const all = timeline(ka);
      const pingreqAt = all.filter(() => rand() < 0.5);
      const inboundAt = all.filter((t) => !pingreqAt.includes(t));
      const q = { keepaliveMs: ka * S, inboundAt, pingreqAt };
      expect(emqxKickAt(params, q)).toBe(simulateEmqx(params, q));
    }
  });
  it("EMQX before 5.7.2 (both eras) and VerneMQ", () => {
    for (let run = 0; run < 400; run++) {
      const ka = 1 + Math.floor(rand() * 90);
      const q = { keepaliveMs: ka * S, inboundAt: timeline(ka) };
      expect(emqxLegacyKickAt({ era: "emqx-5.0.26", multiplier: 1.5 }, q)).toBe(
        simulateEmqxLegacy(q, 1.5, 1),
      );
      expect(emqxLegacyKickAt({ era: "emqx-5.0", backoff: 0.75 }, q)).toBe(simulateEmqxLegacy(q, 0.75, 2));
      expect(vernemqKickAt(q)).toBe(simulateVernemq(q));
      expect(rabbitmqKickAt(q)).toBe(simulateRabbitmq(q));
    }
  });

  it("every model's kick after a client's last packet lies in its delay window (the phase-free bound)", () => {
    for (let run = 0; run < 300; run++) {
      const ka = 1 + Math.floor(rand() * 90);
      // packets closer than KA apart, then silence: nobody kicks before the last one
      const inboundAt: number[] = [];
      let t = 0;
      for (let n = Math.floor(rand() * 5); n > 0; n--) {
        t += Math.floor(rand() * ka * S);
        inboundAt.push(t);
      }
      const last = inboundAt.at(-1) ?? 0;
      for (const m of Object.values(SOURCE_MODEL_DEFAULTS)) {
        const w = sourceKickWindow(m, { keepaliveMs: ka * S, inboundAt });
        const d = sourceDelayAfterLastPacket(m, ka * S);
        expect(w && d).toBeTruthy();
        if (!w || !d) continue;
        const bound = inboundAt.length === 0 ? sourceDelayAfterConnect(m, ka * S) : d;
        expect(w.earliestMs - last).toBeGreaterThanOrEqual(bound?.minMs ?? Number.NaN);
        expect(w.latestMs - last).toBeLessThanOrEqual(bound?.maxMs ?? Number.NaN);
      }
    }
  });
});
