import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import { mqttjsPingAfterMs, mqttjsTimeoutAfterMs } from "../../../src/keepalive/clients/mqttjs.js";
import { nominalSchedule } from "../../../src/scenarios/network-race-predict.js";
import { raceDurationMs, raceForecast } from "../../../src/scenarios/network-race-run.js";
import { NETWORK_STALL } from "../../../src/scenarios/network-stall.js";
import { PINGRESP_LOST } from "../../../src/scenarios/pingresp-lost.js";
import { DEFAULT_SCENARIO_OPTIONS, type ScenarioOptions } from "../../../src/scenarios/types.js";

const nanomq = (q = 10_000): ProfileOptions => ({ ...DEFAULT_PROFILE_OPTIONS, retryIntervalMs: q });
const mosquitto: ProfileOptions = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" };
const spec: ProfileOptions = { ...DEFAULT_PROFILE_OPTIONS, profile: "spec" };
const opts = (keepaliveS: number, extra: Partial<ScenarioOptions> = {}) => ({
  ...DEFAULT_SCENARIO_OPTIONS,
  keepaliveS,
  ...extra,
});

describe("MQTT.js 5.16's keepalive rule", () => {
  it.each([
    [10_000, 10_000, 15_000],
    [1000, 1000, 1500],
    [3000, 3000, 4500],
  ])("keepalive %i ms: PINGREQ %i ms and timeout %i ms after the last reschedule", (ka, ping, timeout) => {
    expect([mqttjsPingAfterMs(ka), mqttjsTimeoutAfterMs(ka)]).toEqual([ping, timeout]);
  });

  it("nominal schedule: pings answered until the link stops them", () => {
    // stall both ways at 15 s: PINGREQ at 10 s answered; the next one at 20 s never arrives
    expect(nominalSchedule(10_000, 15_000, 15_000)).toEqual({ rescheduledAt: 10_001, inboundAt: [10_001] });
    // PINGRESPs dropped from the start: the PINGREQ arrives, its answer does not
    expect(nominalSchedule(10_000, 0, null)).toEqual({ rescheduledAt: 0, inboundAt: [10_001] });
  });
});

describe("network-stall forecast (keepalive 10, stall both ways at 15 s, reconnect at once)", () => {
  it("NanoMQ shipped settings (Q 10 s, M 1.25): the client first at 25 s, the broker at 35 s: takeover", () => {
    const f = raceForecast(NETWORK_STALL, nanomq(), opts(10));
    expect(f).toMatchObject({
      clientGivesUpAt: 25_001,
      brokerKickFrom: 35_000,
      first: "client",
      oldConnectionEnds: "takeover",
    });
  });

  it("--retry-interval 1: the broker first (23.5 s) before the client (25 s): keepalive kick", () => {
    const f = raceForecast(NETWORK_STALL, nanomq(1000), opts(10));
    expect(f).toMatchObject({ brokerKickFrom: 23_500, first: "broker", oldConnectionEnds: "keepalive" });
  });

  it("a longer keepalive on the shipped settings: 60 → the broker first", () => {
    expect(raceForecast(NETWORK_STALL, nanomq(), opts(60)).first).toBe("broker");
  });

  it("keepalive 2 on Q 1 s: the client first by 0.5 s; keepalive 6: the broker first by 0.5 s", () => {
    expect(raceForecast(NETWORK_STALL, nanomq(1000), opts(2))).toMatchObject({
      clientGivesUpAt: 5001,
      brokerKickFrom: 5500,
      first: "client",
    });
    expect(raceForecast(NETWORK_STALL, nanomq(1000), opts(6))).toMatchObject({
      clientGivesUpAt: 15_001,
      brokerKickFrom: 14_500,
      first: "broker",
    });
  });

  it("mosquitto: an even keepalive puts the client first (the sweep kicks strictly after ⌊1.5k⌋ s); odd: either", () => {
    expect(raceForecast(NETWORK_STALL, mosquitto, opts(10))).toMatchObject({
      first: "client",
      oldConnectionEnds: "takeover",
    });
    expect(raceForecast(NETWORK_STALL, mosquitto, opts(3)).first).toBe("either");
  });

  it("spec: the same 1.5 × KA, a round trip apart: a tie", () => {
    expect(raceForecast(NETWORK_STALL, spec, opts(10))).toMatchObject({
      first: "tie",
      oldConnectionEnds: "either",
    });
  });

  it("no reconnect: the broker ends the stalled connection later, by its keepalive", () => {
    const f = raceForecast(NETWORK_STALL, nanomq(), opts(10, { network: { reconnect: { kind: "none" } } }));
    expect(f).toMatchObject({ first: "client", oldConnectionEnds: "keepalive" });
  });

  it("a stall that holds new connections too (--stall-scope all): no takeover, the broker kicks", () => {
    const link = { faults: [{ kind: "stall" as const, atMs: 15_000, forMs: null }], seed: 1 };
    expect(raceForecast(NETWORK_STALL, nanomq(), opts(10, { network: { link } }))).toMatchObject({
      first: "client",
      oldConnectionEnds: "keepalive",
    });
  });

  it("a stall that ends before either deadline: neither", () => {
    const link = {
      faults: [{ kind: "stall" as const, atMs: 15_000, forMs: 2000, scope: "existing" as const }],
    };
    expect(raceForecast(NETWORK_STALL, nanomq(), opts(10, { network: { link } })).first).toBe("none");
  });

  it("the scenario's duration covers the later side plus a margin", () => {
    expect(raceDurationMs(NETWORK_STALL, nanomq(), opts(10))).toBeGreaterThanOrEqual(35_000);
  });
});

describe("pingresp-lost forecast", () => {
  it.each([
    ["nanomq", nanomq()],
    ["nanomq Q 1 s", nanomq(1000)],
    ["mosquitto", mosquitto],
    ["spec", spec],
  ])("%s: the client gives up at 1.5 × KA after CONNACK, first; its reconnect takes over", (_n, p) => {
    expect(raceForecast(PINGRESP_LOST, p, opts(10))).toMatchObject({
      clientGivesUpAt: 15_000,
      first: "client",
      oldConnectionEnds: "takeover",
    });
  });

  it("no reconnect: the slow FIN reaches the broker before its kick: peer closed", () => {
    const f = raceForecast(
      PINGRESP_LOST,
      nanomq(1000),
      opts(2, { network: { reconnect: { kind: "none" } } }),
    );
    expect(f).toMatchObject({ first: "client", oldConnectionEnds: "peer-closed" });
  });
});
