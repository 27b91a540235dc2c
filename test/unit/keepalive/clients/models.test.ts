import { describe, expect, it } from "vitest";
import {
  CLIENT_MODELS,
  clientModel,
  isClientLibraryId,
} from "../../../../src/keepalive/clients/catalogue.js";
import { firstPing, giveUpAfterPing, idlePingGap } from "../../../../src/keepalive/clients/ranges.js";
import {
  CLIENT_LIBRARY_IDS,
  type ClientConditions,
  type ClientLibraryId,
  type MsRange,
} from "../../../../src/keepalive/clients/types.js";

/**
 * Each library's rule, worked by hand from its source (see the model files) into (conditions → first PINGREQ,
 * idle gap, give-up after an unanswered PINGREQ). Ranges span the phases of the library's clocks; null = never.
 */
interface Row {
  name: string;
  library: ClientLibraryId;
  c: Partial<ClientConditions>;
  first: MsRange | null;
  gap: MsRange | null;
  giveUp: MsRange | null;
}

const r = (minMs: number, maxMs = minMs): MsRange => ({ minMs, maxMs });

const ROWS: Row[] = [
  // MQTT.js 5: ticks every ⌈KA/2⌉ from the CONNACK (one round trip) / each PINGRESP; ping on the 2nd, give up on the 3rd
  {
    name: "KA 60, no latency",
    library: "mqttjs",
    c: {},
    first: r(60_000),
    gap: r(60_000),
    giveUp: r(30_000),
  },
  {
    name: "KA 5, 100 ms one way: + RTT",
    library: "mqttjs",
    c: { keepaliveMs: 5000, oneWayLatencyMs: 100 },
    first: r(5200),
    gap: r(5200),
    giveUp: r(2500),
  },
  { name: "KA 0: off", library: "mqttjs", c: { keepaliveMs: 0 }, first: null, gap: null, giveUp: null },
  // MQTT.js 4: KA after its last send (timer from the CONNACK), give up KA after an unanswered PINGREQ
  {
    name: "KA 60, 100 ms one way",
    library: "mqttjs-4",
    c: { oneWayLatencyMs: 100 },
    first: r(60_200),
    gap: r(60_000),
    giveUp: r(60_000),
  },
  // MQTT-C: queued once time() > last send + KA, sent on the next mqtt_sync; never gives up
  {
    name: "KA 3, sync 100 ms: KA + 1 s",
    library: "mqtt-c",
    c: { keepaliveMs: 3000 },
    // each sync 0.175 ms more than the loop's 100 ms (MQTT_C_LOOP_OVERRUN_MS): 40 syncs = 4.007 s, and 39 when
    // the syncs slide past a second
    first: r(3205.6, 4107.175),
    gap: r(3906.825, 4007),
    giveUp: null,
  },
  {
    name: "KA 3, sync 1 s",
    library: "mqtt-c",
    c: { keepaliveMs: 3000, loopIntervalMs: 1000 },
    first: r(5000.875),
    gap: r(5000.875),
    giveUp: null,
  },
  {
    name: "KA 3, sync 1.5 s",
    library: "mqtt-c",
    c: { keepaliveMs: 3000, loopIntervalMs: 1500 },
    first: r(6000.7),
    gap: r(6000.7),
    giveUp: null,
  },
  {
    name: "KA 10, sync 3 s",
    library: "mqtt-c",
    c: { keepaliveMs: 10_000, loopIntervalMs: 3000 },
    first: r(15_000.875),
    gap: r(15_000.875),
    giveUp: null,
  },
  {
    name: "KA 0 still pings every second",
    library: "mqtt-c",
    c: { keepaliveMs: 0 },
    first: r(200.35, 1101.925),
    gap: r(901.575, 1001.75),
    giveUp: null,
  },
  // Paho C 1.3.12: checks every clamp(KA/10, 0.1 s, 5 s) from the connection; ping at the first check MORE than KA
  // after the last send (its stamp comes a moment after the check's `now`); give up 1.5 × KA after it
  {
    name: "KA 60: 5-s checks, one late",
    library: "paho-c",
    c: {},
    first: r(65_000),
    gap: r(65_000),
    giveUp: r(90_000),
  },
  {
    name: "KA 3: 0.3-s checks (3.30 s measured)",
    library: "paho-c",
    c: { keepaliveMs: 3000 },
    first: r(3300),
    gap: r(3300),
    giveUp: r(4500),
  },
  {
    name: "KA 52: not a whole number of 5-s checks, so the first check past KA",
    library: "paho-c",
    c: { keepaliveMs: 52_000 },
    first: r(55_000),
    gap: r(55_000),
    // 1.5 × 52 = 78 s after the PINGREQ at 55 s is 133 s: the next check, 135 s
    giveUp: r(80_000),
  },
  // Paho Python 1.6.1: 1-s loop restarted by each packet; KA after the last send; give up KA after it
  { name: "KA 60", library: "paho-python", c: {}, first: r(60_000), gap: r(60_000), giveUp: r(60_000) },
  {
    name: "KA 10, 150 ms one way: the 1-s loop runs from the PINGRESP",
    library: "paho-python",
    c: { keepaliveMs: 10_000, oneWayLatencyMs: 150 },
    first: r(10_300),
    gap: r(10_300),
    giveUp: r(10_000),
  },
  // libmosquitto 2.0.11: whole-second clock, wakes whole seconds after its last wake; give up KA after
  { name: "KA 60", library: "libmosquitto", c: {}, first: r(60_000), gap: r(60_000), giveUp: r(60_000) },
  {
    name: "KA 10, 150 ms one way: KA ± the second",
    library: "libmosquitto",
    c: { keepaliveMs: 10_000, oneWayLatencyMs: 150 },
    first: r(9300, 10_300),
    gap: r(9300, 10_300),
    giveUp: r(10_000),
  },
  // Paho Java: timer from the CONNACK, KA without sending → ping; give up KA later with nothing received
  {
    name: "KA 60, 100 ms one way",
    library: "paho-java",
    c: { oneWayLatencyMs: 100 },
    first: r(60_200),
    gap: r(60_000),
    giveUp: r(60_000),
  },
  // ESP-MQTT: KA/2 after the CONNACK or last PINGRESP; give up KA after that tick
  {
    name: "KA 60, 100 ms one way",
    library: "esp-mqtt",
    c: { oneWayLatencyMs: 100 },
    first: r(30_200),
    gap: r(30_200),
    giveUp: r(30_000),
  },
  // PubSubClient: in loop(), more than KA idle → ping; give up at the first loop() more than KA after
  {
    name: "KA 15, loop 100 ms",
    library: "pubsubclient",
    c: { keepaliveMs: 15_000 },
    first: r(15_001, 15_100),
    gap: r(15_100),
    giveUp: r(15_100),
  },
  // coreMQTT: min(KA, 30 s) without sending → ping; give up at the first call more than 5 s after it
  {
    name: "KA 60: capped at 30 s",
    library: "coremqtt",
    c: {},
    first: r(30_000, 30_099),
    gap: r(30_000),
    giveUp: r(5100),
  },
  {
    name: "KA 3, loop 100 ms",
    library: "coremqtt",
    c: { keepaliveMs: 3000 },
    first: r(3000, 3099),
    gap: r(3000),
    giveUp: r(5100),
  },
];

const conditions = (c: Partial<ClientConditions>): ClientConditions => ({
  keepaliveMs: 60_000,
  oneWayLatencyMs: 0,
  loopIntervalMs: 100,
  ...c,
});

describe("client library models (table)", () => {
  it.each(ROWS)("$library $name", (row) => {
    const model = clientModel(row.library);
    const c = conditions(row.c);
    expect(idlePingGap(model, c)).toEqual(row.gap);
    expect(giveUpAfterPing(model, c)).toEqual(row.giveUp);
    const first = firstPing(model, c);
    if (row.first === null) expect(first).toBeNull();
    else {
      // sampled phases: the sampled extremes lie within one sample step (1 % of the phased period) of the true ones
      expect(first?.minMs).toBeGreaterThanOrEqual(row.first.minMs);
      expect(first?.maxMs).toBeLessThanOrEqual(row.first.maxMs);
      expect(row.first.minMs - (first?.minMs ?? 0)).toBeGreaterThan(-51);
      expect(row.first.maxMs - (first?.maxMs ?? 0)).toBeLessThan(51);
    }
  });

  it("every library has one model, in the id order; ids are recognised", () => {
    expect(CLIENT_MODELS.map((m) => m.id)).toEqual([...CLIENT_LIBRARY_IDS]);
    expect(isClientLibraryId("mqtt-c")).toBe(true);
    expect(isClientLibraryId("hivemq-client")).toBe(false);
  });

  it("runs here: MQTT.js (5 and Debian's 4.3.7), MQTT-C, Paho C, Paho Python, libmosquitto; the rest model from source only", () => {
    expect(CLIENT_MODELS.filter((m) => m.runnableHere).map((m) => m.id)).toEqual([
      "mqttjs",
      "mqttjs-4",
      "mqtt-c",
      "paho-c",
      "paho-python",
      "libmosquitto",
    ]);
    for (const m of CLIENT_MODELS.filter((x) => !x.runnableHere))
      expect(m.evidence).toMatch(/model from source only/);
  });

  it("libmosquitto refuses keepalives of 1–4 s (mosquitto_connect); no other model refuses any", () => {
    const refused = (ka: number) =>
      CLIENT_MODELS.filter((m) => m.refusesKeepalive?.(ka * 1000)).map((m) => m.id);
    expect(refused(1)).toEqual(["libmosquitto"]);
    expect(refused(4)).toEqual(["libmosquitto"]);
    expect(refused(0)).toEqual([]);
    expect(refused(5)).toEqual([]);
  });

  it("the known keepalive bugs by version", () => {
    const bugs = CLIENT_MODELS.flatMap((m) => m.knownBugs.map((b) => `${m.id} ${b.versions} ${b.reference}`));
    expect(bugs).toEqual([
      "mqttjs 5.5.5–5.5.6 MQTT.js#1861",
      "mqtt-c ≤ 1.1.5 MQTT-C PR #161",
      "paho-c 1.3.11 paho.mqtt.c#1277",
    ]);
  });
});
