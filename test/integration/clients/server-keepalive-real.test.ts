import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Broker, startBroker, type TraceEvent } from "../../../src/broker/index.js";
import { checkGaps } from "../../../src/clients/real/compare.js";
import { REAL_LIBRARY_IDS, realLibrary } from "../../../src/clients/real/index.js";
import { modelRangesOf } from "../../../src/clients/real/model-range.js";
import { scaledClock } from "../../../src/core/clock.js";
import { clientModel } from "../../../src/keepalive/clients/catalogue.js";
import { libraryKeepalive, speaksMqtt5 } from "../../../src/keepalive/clients/server-keepalive.js";
import { realLibraryAvailable } from "../../helpers/real-clients.js";

/**
 * Each real library that speaks MQTT 5, side by side with its model's `serverKeepAlive` handling: it asks 60 s,
 * the embedded spec broker (real time) tells it 5 s (libmosquitto refuses less), and the model says what it pings
 * with and what the broker watches. A library that honours it pings about every 5 s and is never kicked; one that
 * ignores it sends no PINGREQ and is kicked 7.5 s after its CONNECT. All run at once, 12 s.
 * The first ping and each gap are compared with the model at 5 s as the side-by-side measurements are (its
 * ranges over every phase, the common tolerance, and its named differences: src/clients/real/compare.ts);
 * the kick ± 200 ms.
 */
const ASKED_S = 60;
const TOLD_S = 5;
const WATCH_MS = 12_000;

const clock = scaledClock(1);
let broker: Broker;
const trace: TraceEvent[] = [];
beforeAll(async () => {
  broker = await startBroker({
    profile: "spec",
    port: 0,
    clock,
    serverKeepalive: { rule: "impose", seconds: TOLD_S },
  });
  broker.on("trace", (e) => trace.push(e));
});
afterAll(() => broker.close());

const mqtt5 = REAL_LIBRARY_IDS.filter((id) => speaksMqtt5(clientModel(id)));
const available = await Promise.all(mqtt5.map(async (id) => [id, await realLibraryAvailable(id)] as const));

describe("Server Keep Alive: the real libraries beside their models", () => {
  it("MQTT-C, the one real library without MQTT 5, is modelled as never told", () => {
    expect(REAL_LIBRARY_IDS.filter((id) => !mqtt5.includes(id))).toEqual(["mqtt-c"]);
  });

  it.concurrent.each(available.filter(([, here]) => here).map(([id]) => id))(
    "%s does what its model says with a told keepalive",
    async (id) => {
      const model = clientModel(id);
      const asked = { keepaliveMs: ASKED_S * 1000, oneWayLatencyMs: 0, loopIntervalMs: 100 };
      const expected = libraryKeepalive(model, {
        ...asked,
        serverKeepalive: { rule: "impose", seconds: TOLD_S },
      });
      const pinging = { ...asked, keepaliveMs: expected.pingsWithMs };
      expect(expected.brokerWatchesMs).toBe(TOLD_S * 1000);
      const clientId = `ska-${id}`;
      const client = await realLibrary(id).start({
        host: broker.host,
        port: broker.port,
        clientId,
        keepaliveS: ASKED_S,
        loopIntervalMs: 100,
        protocolVersion: 5,
      });
      try {
        expect(await client.connected).toBe(true);
        await clock.sleep(WATCH_MS);
      } finally {
        await client.stop();
      }
      const mine = trace.filter((e) => "clientId" in e && e.clientId === clientId);
      const connectAt = mine.find((e) => e.type === "connect")?.at ?? 0;
      const pings = mine.filter((e) => e.type === "packet-in" && e.packet === "pingreq").map((e) => e.at);
      const kick = mine.find((e) => e.type === "kick");
      if (expected.pingsWithMs === TOLD_S * 1000) {
        expect(kick).toBeUndefined();
        expect(pings.length).toBeGreaterThanOrEqual(2);
        const measured = {
          library: id,
          keepaliveS: TOLD_S,
          loopIntervalMs: 100,
          firstGapMs: (pings[0] ?? 0) - connectAt,
          gapsMs: pings.slice(1).map((t, i) => t - (pings[i] ?? t)),
          ended: null,
        };
        const checks = checkGaps(measured, modelRangesOf(id, pinging));
        expect(checks.filter((c) => c.verdict.kind === "differs")).toEqual([]);
      } else {
        expect(expected.pingsWithMs).toBe(ASKED_S * 1000);
        expect(pings).toEqual([]);
        expect((kick?.at ?? 0) - connectAt).toBeGreaterThanOrEqual(1.5 * TOLD_S * 1000 - 200);
        expect((kick?.at ?? 0) - connectAt).toBeLessThanOrEqual(1.5 * TOLD_S * 1000 + 200);
      }
    },
    WATCH_MS + 10_000,
  );
});
