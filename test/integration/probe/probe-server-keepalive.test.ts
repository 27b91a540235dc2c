import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Broker, startBroker } from "../../../src/broker/index.js";
import { scaledClock } from "../../../src/core/clock.js";
import { runProbe } from "../../../src/probe/runner.js";
import type { ProbeResult } from "../../../src/probe/types.js";
import { probeTable } from "../../../src/report/probe-table.js";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../../helpers/mosquitto.js";
import { findingOf } from "../../helpers/probe-finding.js";
import { probeOptions } from "./probe-options.js";

/**
 * The probe against a broker that tells MQTT 5 clients a keepalive of its own (Server Keep Alive): the connect
 * check sees it, and the keepalive sessions run on MQTT 3.1.1, which keep the keepalive they ask for, so the fit
 * still sees keepalive 1, 2 and 4 s. Against the embedded spec profile imposing 4 s on every MQTT 5 client, and the
 * real mosquitto 2.0.11 with `max_keepalive 10` (caps MQTT 5 clients asking more, or 0; 3.1.1 ones untouched on
 * 2.0.11, docs/brokers.md).
 */
describe("mqdiag probe under Server Keep Alive", () => {
  const SCALE = 10; // broker and probe on one ×10 clock: results in clock seconds
  let broker: Broker;
  let spec: ProbeResult;
  beforeAll(async () => {
    const clock = scaledClock(SCALE);
    broker = await startBroker({
      profile: "spec",
      port: 0,
      clock,
      serverKeepalive: { rule: "impose", seconds: 4 },
    });
    spec = await runProbe(probeOptions(broker.url, { clock, checks: ["connect", "keepalive"] }));
  }, 60_000);
  afterAll(async () => {
    await broker?.close();
  });

  it("spec --server-keepalive 4: connect sees 4 s, the sessions run 3.1.1 at 1, 2, 4 s, the fit is exact 1.5", () => {
    expect(findingOf(spec, "connect").measured).toMatchObject({
      mqttVersion: "5",
      serverKeepAlive: 4,
      keepaliveOverridden: true,
    });
    const ka = findingOf(spec, "keepalive");
    expect(ka.measured.serverKeepAlive).toEqual({ seconds: 4, sessionsMqttVersion: "3.1.1" });
    const staggered = ka.measured.samples.filter((s) => !s.adaptive);
    expect(new Set(staggered.map((s) => s.keepalive))).toEqual(new Set([1, 2, 4]));
    for (const s of staggered) expect(s.keepalive).toBe(s.requestedKeepalive);
    expect(ka.measured.inferred).toMatchObject({ model: "exact", alsoFits: [] });
    expect(Math.abs((ka.measured.inferred.multiplier ?? Number.NaN) - 1.5)).toBeLessThanOrEqual(0.05);
    const table = probeTable(spec).replace(/\s+/g, " ");
    expect(table).toContain(
      "the broker tells MQTT 5 clients keepalive 4 s (Server Keep Alive): the sessions above are MQTT 3.1.1, which keep their own keepalive",
    );
  });
});

describe.runIf(mosquittoAvailable())(
  "mqdiag probe against the real mosquitto 2.0.11 with max_keepalive 10",
  () => {
    let mosquitto: Mosquitto;
    let result: ProbeResult;
    beforeAll(async () => {
      mosquitto = await startMosquitto({ config: ["max_keepalive 10"] });
      result = await runProbe(
        probeOptions(mosquitto.url, { checks: ["connect", "keepalive"], staggerMs: 3000, maxWaitMs: 15_000 }),
      );
    }, 60_000);
    afterAll(async () => {
      await mosquitto?.stop();
    });

    it("connect is capped to 10 s; the sessions run 3.1.1 at their own keepalive; the sweep is still named", () => {
      expect(findingOf(result, "connect").measured).toMatchObject({
        serverKeepAlive: 10,
        keepaliveOverridden: true,
      });
      const ka = findingOf(result, "keepalive");
      expect(ka.measured.serverKeepAlive).toEqual({ seconds: 10, sessionsMqttVersion: "3.1.1" });
      for (const s of ka.measured.samples) expect(s.keepalive).toBe(s.requestedKeepalive);
      expect(ka.measured.inferred.model).toBe("sweep");
      // the capped CONNACK (`22 00 0a 13 00 0a 21 00 14`) is still mosquitto's set, Server Keep Alive in its place
      expect(result.identified).toMatchObject({ broker: "mosquitto", confidence: "medium" });
    });
  },
);
