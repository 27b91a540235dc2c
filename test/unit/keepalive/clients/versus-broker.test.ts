import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../../src/core/profile.js";
import { clientModel } from "../../../../src/keepalive/clients/catalogue.js";
import type { ClientConditions } from "../../../../src/keepalive/clients/types.js";
import { clientVersusBroker } from "../../../../src/keepalive/clients/versus-broker.js";

const nanomq = (retryIntervalMs: number, keepaliveMultiplier: number): ProfileOptions => ({
  ...DEFAULT_PROFILE_OPTIONS,
  retryIntervalMs,
  keepaliveMultiplier,
});
const spec: ProfileOptions = { ...DEFAULT_PROFILE_OPTIONS, profile: "spec" };
const mosquitto: ProfileOptions = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" };
const c = (keepaliveMs: number, loopIntervalMs = 100, oneWayLatencyMs = 0): ClientConditions => ({
  keepaliveMs,
  loopIntervalMs,
  oneWayLatencyMs,
});

/**
 * Measured: the real MQTT-C 1.1.6 against the real NanoMQ 0.25.3 (Q 1 s, M 1.25, idle). NanoMQ kicks after
 * N = ⌊KA·M/Q⌋ + 1 idle ticks; its ticks run 1.5·Q + k·Q after the CONNECT.
 */
describe("MQTT-C against NanoMQ (Q 1 s, M 1.25): the measured cases", () => {
  const broker = nanomq(1000, 1.25);
  const mqttC = clientModel("mqtt-c");

  it("KA 3, synced every 100 ms: a steady 4 s gap (N·Q = 4 s is allowed) survives", () => {
    const v = clientVersusBroker(mqttC, c(3000, 100), broker);
    expect(v.pingGapMs).toEqual({ minMs: 4000, maxMs: 4000 });
    expect(v.firstToAct).toBe("nobody");
    expect(v.brokerKicksAtMs).toBeNull();
    // the 100-ms sync grid against the 1-s ticks: a ping lands at least 0.1 s before the tick that would kick
    expect(v.marginMs).toBe(100);
  });

  it("KA 3, synced every 1 s: 5-s gaps, kicked ~10 s after the CONNECT", () => {
    const v = clientVersusBroker(mqttC, c(3000, 1000), broker);
    expect(v.pingGapMs).toEqual({ minMs: 5000, maxMs: 5000 });
    expect(v.firstToAct).toBe("broker");
    expect(v.brokerKicksAtMs?.minMs).toBeGreaterThanOrEqual(9500);
    expect(v.brokerKicksAtMs?.maxMs).toBeLessThanOrEqual(10_000);
  });

  it("KA 3, synced every 1.5 s: the first PINGREQ (6 s) comes after the silent-CONNECT kick (~6 s)", () => {
    const v = clientVersusBroker(mqttC, c(3000, 1500), broker);
    expect(v.firstPingMs).toEqual({ minMs: 6000, maxMs: 6000 });
    expect(v.firstToAct).toBe("broker");
    expect(v.brokerKicksAtMs?.minMs).toBeGreaterThanOrEqual(5500);
    expect(v.brokerKicksAtMs?.maxMs).toBeLessThanOrEqual(6000);
  });

  it("KA 10, synced every 3 s: first PINGREQ at 15 s, kicked ~15 s after the CONNECT", () => {
    const v = clientVersusBroker(mqttC, c(10_000, 3000), broker);
    expect(v.firstToAct).toBe("broker");
    expect(v.brokerKicksAtMs?.minMs).toBeGreaterThanOrEqual(14_500);
    expect(v.brokerKicksAtMs?.maxMs).toBeLessThanOrEqual(15_000);
  });

  it("never gives up by itself", () => {
    expect(clientVersusBroker(mqttC, c(3000, 100, 5000), broker).clientGivesUpAtMs).toBeNull();
  });
});

describe("who acts first", () => {
  it("a broker enforcing exactly 1.5 × KA kicks MQTT-C at KA 2 even at a 100-ms sync (gap 3 s = 1.5 × 2 s)", () => {
    const v = clientVersusBroker(clientModel("mqtt-c"), c(2000), spec);
    expect(v.firstToAct).toBe("broker");
    expect(clientVersusBroker(clientModel("mqtt-c"), c(3000), spec).firstToAct).toBe("nobody");
  });

  it("MQTT.js KA 60 on NanoMQ Q 10 s M 1.25, 12 s one way: gap 84 s > N·Q = 80 s, kicked at 177 s (3 s before its PINGREQ)", () => {
    // CONNECT reaches the broker at 12 s: ticks at 27 + 10k. PINGREQs sent at 84 and 168 s arrive at 96 and 180 s;
    // after 96 s the first tick is 97 s and the 8th after it (n = 8 > 7.5) kicks at 177 s.
    const v = clientVersusBroker(clientModel("mqttjs"), c(60_000, 100, 12_000), DEFAULT_PROFILE_OPTIONS);
    expect(v.pingGapMs).toEqual({ minMs: 84_000, maxMs: 84_000 });
    expect(v.firstToAct).toBe("broker");
    expect(v.brokerKicksAtMs).toEqual({ minMs: 177_000, maxMs: 177_000 });
    expect(v.marginMs).toBe(3000);
  });

  it("MQTT.js at a round trip of KA/2 against 1.5 × KA: the broker's deadline and the client's give-up meet", () => {
    // one way 15 s: CONNECT in at 15 s, CONNACK back at 30 s, PINGREQ at 90 s arrives at 105 s = 15 + 1.5 × 60:
    // the spec broker kicks then; the client would have given up at 120 s (its PINGRESP due at the 3rd tick)
    const v = clientVersusBroker(clientModel("mqttjs"), c(60_000, 100, 15_000), spec);
    expect(v.firstToAct).toBe("broker");
    expect(v.brokerKicksAtMs).toEqual({ minMs: 105_000, maxMs: 105_000 });
    expect(v.clientGivesUpAtMs).toEqual({ minMs: 120_000, maxMs: 120_000 });
    // the PINGREQ arrives at the deadline's very instant: it would have saved the connection a moment earlier
    expect(v.marginMs).toBe(0);
  });

  it("MQTT.js gives up first when the broker allows more (NanoMQ Q 10 s, M 1.5: 100 s), 16 s one way", () => {
    // CONNACK at 32 s, PINGREQ at 92 s, gives up at 122 s; its PINGRESP would have come at 124 s
    const v = clientVersusBroker(clientModel("mqttjs"), c(60_000, 100, 16_000), nanomq(10_000, 1.5));
    expect(v.firstToAct).toBe("client");
    expect(v.clientGivesUpAtMs).toEqual({ minMs: 122_000, maxMs: 122_000 });
    expect(v.brokerKicksAtMs).toBeNull();
    expect(v.marginMs).toBe(2000);
  });

  it("ESP-MQTT gives up when the round trip exceeds KA/2, whatever the broker", () => {
    const v = clientVersusBroker(clientModel("esp-mqtt"), c(10_000, 100, 3000), nanomq(10_000, 1.5));
    expect(v.firstToAct).toBe("client");
    expect(v.clientGivesUpAtMs).toEqual({ minMs: 16_000, maxMs: 16_000 });
    // its PINGRESP (sent 11 s, back at 17 s) would have come 1 s later
    expect(v.marginMs).toBe(1000);
  });

  it("coreMQTT gives up 5 s after an unanswered PINGREQ: a 3-s one-way latency ends it whatever KA", () => {
    expect(clientVersusBroker(clientModel("coremqtt"), c(60_000, 100, 3000), spec).firstToAct).toBe("client");
    expect(clientVersusBroker(clientModel("coremqtt"), c(60_000, 100, 2000), spec).firstToAct).toBe("nobody");
  });

  it("mosquitto's 6-s sweep: MQTT-C at KA 5 is kicked or not depending on where the sweep falls", () => {
    // mosquitto allows ⌊1.5 × 5⌋ = 7 whole seconds of silence. Synced every 1 s MQTT-C pings every 7 s: never
    // more than 7 s in whole seconds. Every 2 s it pings every 8 s: kickable for one second of each gap, and
    // only a sweep (every 6 s) that falls in that second kicks: half of the sweep phases within these pings.
    expect(clientVersusBroker(clientModel("mqtt-c"), c(5000, 1000), mosquitto).firstToAct).toBe("nobody");
    const late = clientVersusBroker(clientModel("mqtt-c"), c(5000, 2000), mosquitto);
    expect(late.pingGapMs).toEqual({ minMs: 8000, maxMs: 8000 });
    expect(late.firstToAct).toBe("broker");
    expect(late.dependsOnPhase).toBe(true);
    expect(late.endsShare).toBe(0.5);
  });
});
