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
 * Measured: the real MQTT-C 1.1.6 against the real NanoMQ 0.25.3 (Q 1 s, M 1.25, idle; docs/commands/clients.md). The
 * client program (clients/mqtt-c/idle.c) syncs every loop interval and reports the loss at the first sync after
 * the kick; it lost the connection 6.013 s (1.5-s sync), 10.007 s (1-s sync) and 15.014 s (KA 10, 3-s sync) after
 * sending its CONNECT, and survived at 100 ms (steady gap 4.007 s). NanoMQ kicks after N = ⌊KA·M/Q⌋ + 1 idle ticks,
 * its ticks 1.5·Q + k·Q after the CONNECT: the model's kick, then the sync that notices it.
 */
const noticedAt = (kickMs: number, loopMs: number) => Math.ceil(kickMs / loopMs) * loopMs;

describe("MQTT-C against NanoMQ (Q 1 s, M 1.25): the measured cases", () => {
  const broker = nanomq(1000, 1.25);
  const mqttC = clientModel("mqtt-c");

  it("KA 3, synced every 100 ms: kicked or not by where the ticks fall, ~1 CONNECT phase in 10 (1 in 20 measured in 30 s)", () => {
    const v = clientVersusBroker(mqttC, c(3000, 100), broker);
    // the loop (sync, then sleep 100 ms) runs 0.175 ms slow: 40 syncs = 4.007 s, and one sync fewer (3.907 s) each
    // time its syncs slide past a whole second, as measured (4.007 s steady, 3.91 s seen)
    expect(v.pingGapMs?.minMs).toBeCloseTo(3907, 0);
    expect(v.pingGapMs?.maxMs).toBeCloseTo(4007, 0);
    // its pings slide through the 0.1–0.2 s past each second; a CONNECT whose ticks fall there is kicked once a
    // ping just before a tick is followed by one just after — at the second ping (7.5 s, as the two measured), or
    // once the slide gets there
    expect(v.dependsOnPhase).toBe(true);
    expect(v.firstToAct).toBe("broker");
    expect(v.endsShare).toBeGreaterThanOrEqual(0.05);
    expect(v.endsShare).toBeLessThanOrEqual(0.15);
    expect(v.brokerKicksAtMs?.minMs).toBeGreaterThanOrEqual(7500);
    expect(v.brokerKicksAtMs?.minMs).toBeLessThanOrEqual(7510);
    expect(v.brokerKicksAtMs?.maxMs).toBeLessThan(90_000);
    // nothing to spare where it is kicked: the averting ping came just after the tick
    expect(v.marginMs).toBeLessThan(20);
  });

  it.each([
    { ka: 3000, loop: 1000, gap: 5000, kick: 9500, measured: 10_007 },
    { ka: 3000, loop: 1500, gap: 6000, kick: 5500, measured: 6013 },
    { ka: 10_000, loop: 3000, gap: 15_000, kick: 14_500, measured: 15_014 },
  ])(
    "KA $ka ms synced every $loop ms: kicked at $kick ms, noticed at the next sync ($measured ms measured)",
    (row) => {
      const v = clientVersusBroker(mqttC, c(row.ka, row.loop), broker);
      // each sync takes MQTT_C_LOOP_OVERRUN_MS more than the loop interval
      const syncs = row.gap / row.loop;
      expect(v.pingGapMs).toEqual({ minMs: row.gap + syncs * 0.175, maxMs: row.gap + syncs * 0.175 });
      expect(v.firstToAct).toBe("broker");
      expect(v.dependsOnPhase).toBe(false);
      // the ticks from the CONNECT, or NANOMQ_CONNECT_LAG_MS later
      expect(v.brokerKicksAtMs).toEqual({ minMs: row.kick, maxMs: row.kick + 10 });
      // the measured loss is the sync after the kick, late by the program's own sleeps (≤ 50 ms here)
      const noticed = noticedAt(row.kick, row.loop);
      expect(row.measured - noticed).toBeGreaterThanOrEqual(0);
      expect(row.measured - noticed).toBeLessThan(50);
    },
  );

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
    // 4 syncs of 2000.175 ms
    expect(late.pingGapMs).toEqual({ minMs: 8000.7, maxMs: 8000.7 });
    expect(late.firstToAct).toBe("broker");
    expect(late.dependsOnPhase).toBe(true);
    expect(late.endsShare).toBe(0.5);
  });
});
