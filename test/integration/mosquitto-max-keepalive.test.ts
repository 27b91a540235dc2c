import { readFileSync } from "node:fs";
import type { IConnackPacket } from "mqtt-packet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { interpretMosquittoConf } from "../../src/config/mosquitto-conf.js";
import { buildMosquittoConfigReport } from "../../src/config/mosquitto-config-report.js";
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
    beforeAll(async () => {
      broker = await startMosquitto({ config: [`max_keepalive ${conf.maxKeepalive.value}`] });
    });
    afterAll(async () => {
      await broker?.stop();
    });

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
