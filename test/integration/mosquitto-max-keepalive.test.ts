import { readFileSync } from "node:fs";
import type { IConnackPacket } from "mqtt-packet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Broker, startBroker } from "../../src/broker/index.js";
import { interpretMosquittoConf } from "../../src/config/mosquitto-conf.js";
import { buildMosquittoConfigReport } from "../../src/config/mosquitto-config-report.js";
import { scaledClock } from "../../src/core/clock.js";
import { DEFAULT_PROFILE_OPTIONS } from "../../src/core/profile.js";
import { MOSQUITTO_MIN_MAX_KEEPALIVE_S } from "../../src/core/server-keepalive-options.js";
import { kickDelayAfterLastPacket } from "../../src/keepalive/predict.js";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../helpers/mosquitto.js";
import { rawConnectMqtt } from "../helpers/raw-client.js";

const FIXTURE = new URL("../fixtures/conf/mosquitto.conf", import.meta.url);

/**
 * `mqdiag config mosquitto.conf` says what max_keepalive does to each client keepalive (from handle_connect.c);
 * here the real mosquitto (Debian's 2.0.11) gets the fixture's max_keepalive and real CONNECTs: MQTT 5 clients
 * asking more than the cap, or 0, are told the cap as Server Keep Alive; MQTT 3.1.1 clients are accepted with
 * their own keepalive (the refusal is 2.0.12's).
 */
describe.runIf(mosquittoAvailable())(
  "max_keepalive on the real mosquitto, side by side with mqdiag config",
  () => {
    const conf = interpretMosquittoConf(readFileSync(FIXTURE, "utf8"));
    const report = buildMosquittoConfigReport("mosquitto.conf", conf, [0, 10, 60, 120]);
    let broker: Mosquitto;
    /** The embedded mosquitto profile with the same cap (--max-keepalive). */
    let embedded: Broker;
    beforeAll(async () => {
      broker = await startMosquitto({ config: [`max_keepalive ${conf.maxKeepalive.value}`] });
      embedded = await startBroker({
        profile: "mosquitto",
        port: 0,
        serverKeepalive: { rule: "cap", seconds: conf.maxKeepalive.value ?? 0 },
      });
    });
    afterAll(async () => {
      await broker?.stop();
      await embedded?.close();
    });

    /** The CONNACK bytes each broker answers a CONNECT with. */
    async function connackBytes(port: number, keepalive: number, protocolVersion: 4 | 5): Promise<string> {
      const c = await rawConnectMqtt(port, {
        clientId: `bytes-${protocolVersion}-${keepalive}`,
        keepalive,
        protocolVersion,
      });
      const bytes = c.received().toString("hex");
      c.destroy();
      return bytes;
    }

    it.each([0, 10, 60, 120])(
      "keepalive %i: the embedded profile with --max-keepalive answers the real CONNACK bytes, 3.1.1 and 5",
      async (keepalive) => {
        for (const version of [4, 5] as const) {
          expect(await connackBytes(embedded.port, keepalive, version)).toBe(
            await connackBytes(broker.port, keepalive, version),
          );
        }
      },
    );

    it.each(report.keepalives.map((r) => [r.keepaliveS, r] as const))(
      "keepalive %i: MQTT 5 gets what config predicts; MQTT 3.1.1 is accepted on 2.0.11",
      async (keepalive, row) => {
        const v5 = await rawConnectMqtt(broker.port, {
          clientId: `v5-${keepalive}`,
          keepalive,
          protocolVersion: 5,
        });
        const [connack5] = (await v5.waitForPackets(1, 5)) as IConnackPacket[];
        v5.destroy();
        expect(connack5?.reasonCode).toBe(0);
        const server = connack5?.properties?.serverKeepAlive;
        expect(server ?? keepalive).toBe(row.mqtt5KeepaliveS);
        const v4 = await rawConnectMqtt(broker.port, { clientId: `v4-${keepalive}`, keepalive });
        const [connack4] = (await v4.waitForPackets(1, 4)) as IConnackPacket[];
        v4.destroy();
        // 2.0.11: accepted whatever the cap; mqdiag says "refused since 2.0.12" for the capped ones
        expect(connack4?.returnCode).toBe(0);
        expect(row.mqtt311).toBe(keepalive === 0 || keepalive > 60 ? "refused-since-2.0.12" : "accepted");
      },
    );
  },
);

/**
 * The kick under the cap: an MQTT 5 client asks 120 s, mosquitto (max_keepalive 10, the least it accepts) tells it 10 s,
 * and a client that ignores it is kicked in mosquitto's window for 10 s (docs/mosquitto-measured.md); the log's
 * connect line still says k120, the keepalive asked. Real time on both.
 */
describe.runIf(mosquittoAvailable())(
  "a capped client that keeps its own keepalive, real and embedded",
  () => {
    let real: Mosquitto;
    let embedded: Broker;
    beforeAll(async () => {
      real = await startMosquitto({ config: [`max_keepalive ${MOSQUITTO_MIN_MAX_KEEPALIVE_S}`] });
      embedded = await startBroker({
        profile: "mosquitto",
        port: 0,
        clock: scaledClock(1),
        serverKeepalive: { rule: "cap", seconds: MOSQUITTO_MIN_MAX_KEEPALIVE_S },
      });
    });
    afterAll(async () => {
      await real?.stop();
      await embedded?.close();
    });

    it("is told Server Keep Alive 10, kicked within the 10 s window on both, logged as k120", async () => {
      const window = kickDelayAfterLastPacket({ ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" }, 10_000);
      const lines = () => [
        real.log(),
        embedded
          .logLines()
          .map((l) => l.line)
          .join("\n"),
      ];
      const ends = await Promise.all(
        [real.port, embedded.port].map(async (port, i) => {
          const c = await rawConnectMqtt(port, {
            clientId: `capped-${i}`,
            keepalive: 120,
            protocolVersion: 5,
          });
          const [connack] = (await c.waitForPackets(1, 5)) as IConnackPacket[];
          expect(connack?.properties?.serverKeepAlive).toBe(MOSQUITTO_MIN_MAX_KEEPALIVE_S);
          const end = await c.waitForEnd(25_000);
          c.destroy();
          return end;
        }),
      );
      for (const end of ends) {
        expect(end.kind).toBe("fin");
        // 50 ms: the close crossing loopback on a loaded machine
        expect(end.afterLastSendMs).toBeGreaterThanOrEqual((window?.minMs ?? 0) - 50);
        expect(end.afterLastSendMs).toBeLessThanOrEqual((window?.maxMs ?? 0) + 50);
      }
      for (const log of lines()) {
        expect(log).toMatch(/New client connected from 127\.0\.0\.1:\d+ as capped-\d \(p5, c1, k120\)/);
        expect(log).toMatch(/Client capped-\d has exceeded timeout, disconnecting\./);
      }
    }, 30_000);
  },
);
