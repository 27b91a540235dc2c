import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Broker, startBroker } from "../../src/broker/index.js";
import { mosquittoReaction } from "../../src/broker/profiles/mosquitto-measured.js";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../helpers/mosquitto.js";
import { type RawClient, rawConnectMqtt } from "../helpers/raw-client.js";

/**
 * The proof of mosquitto-measured.ts's `packet-too-large` row: the real mosquitto with `max_packet_size` set and
 * the embedded broker's mosquitto profile (which always has a limit) treat a packet over the limit alike.
 */
const LIMIT = 1000;
/** A PUBLISH declaring 2000 remaining bytes, with only a little of its body. */
const OVERSIZE = Buffer.concat([Buffer.from([0x30, 0xd0, 0x0f]), Buffer.alloc(20)]);

describe.runIf(mosquittoAvailable())(
  "a packet over the maximum packet size: real mosquitto vs the profile",
  () => {
    let real: Mosquitto;
    let embedded: Broker;
    const clients: RawClient[] = [];
    beforeAll(async () => {
      real = await startMosquitto({ config: [`max_packet_size ${LIMIT}`] });
      embedded = await startBroker({ port: 0, profile: "mosquitto", maxPacketBytes: LIMIT });
    });
    afterAll(async () => {
      await real?.stop();
      await embedded?.close();
    });
    afterEach(() => {
      for (const c of clients.splice(0)) c.destroy();
    });

    for (const protocolVersion of [4, 5] as const) {
      it(`MQTT ${protocolVersion === 5 ? "5" : "3.1.1"}: closed at once, the same reply`, async () => {
        const expected = mosquittoReaction("packet-too-large", protocolVersion);
        const outcomes = [];
        for (const [name, port] of [
          ["real", real.port],
          ["embedded", embedded.port],
        ] as const) {
          const id = `oversize-${name}-${protocolVersion}`;
          const c = await rawConnectMqtt(port, { clientId: id, protocolVersion });
          clients.push(c);
          const before = c.received().length;
          c.send(OVERSIZE);
          const end = await c.waitForEnd(2000);
          expect(end.afterLastSendMs, name).toBeLessThan(500);
          outcomes.push({ name, kind: end.kind, reply: c.received().subarray(before).toString("hex") });
          if (name === "real")
            await real.waitForLog(new RegExp(`Client ${id} disconnected due to oversize packet\\.`));
          else
            expect(embedded.logLines().map((l) => l.line)).toContainEqual(
              expect.stringMatching(new RegExp(`Client ${id} disconnected due to oversize packet\\.$`)),
            );
        }
        expect(outcomes).toEqual([
          { name: "real", kind: expected?.closeKind, reply: expected?.reply ?? "" },
          { name: "embedded", kind: expected?.closeKind, reply: expected?.reply ?? "" },
        ]);
      });
    }
  },
);
