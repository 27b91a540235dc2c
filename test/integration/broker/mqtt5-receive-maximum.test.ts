import { afterEach, describe, expect, it } from "vitest";
import { broker } from "./helpers.js";
import { arrivalsPerAck } from "./mqtt5-flow.js";
import { collect, connackOf, connect5, type Env, endAll, realSleep, settle } from "./mqtt5-procedures.js";

/**
 * (5.0) Receive Maximum on the spec profile: never more unacknowledged QoS 1/2 PUBLISHes in flight to a client than
 * its CONNECT allows [MQTT-3.3.4-9]; the rest wait, in order, and one goes out per acknowledgement.
 */
afterEach(endAll);

describe("spec profile: the client's Receive Maximum", () => {
  for (const rm of [1, 2, 3]) {
    it(`Receive Maximum ${rm}, 6 messages, acknowledged one at a time: ${rm} at first, then one more per ack`, async () => {
      const b = await broker({ profile: "spec" });
      const r = await arrivalsPerAck({ url: b.url, sleep: realSleep }, b.port, rm, 6);
      const expected = [0, 1, 2, 3, 4, 5, 6].map((k) => Math.min(6, rm + k));
      expect(r.counts).toEqual(expected);
      expect(r.order).toEqual(["m0", "m1", "m2", "m3", "m4", "m5"]);
    });
  }

  it("an MQTT.js 5 client with Receive Maximum 1 gets all of 10 QoS 1 and 2 messages, in order", async () => {
    const b = await broker({ profile: "spec" });
    const env: Env = { url: b.url, sleep: realSleep };
    const sub = await connect5(env, { properties: { receiveMaximum: 1 } });
    await sub.subscribeAsync("rm/#", { qos: 2 });
    const pub = await connect5(env, {});
    for (let i = 0; i < 10; i++) await pub.publishAsync("rm/t", `m${i}`, { qos: i % 2 === 0 ? 1 : 2 });
    const got = collect(sub);
    await settle(() => got.length >= 10, 3000);
    expect(got.map((m) => m.payload)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
  });

  it("the spec profile's CONNACK sends no Receive Maximum of its own (65,535 by default)", async () => {
    const b = await broker({ profile: "spec" });
    const c = await connect5({ url: b.url, sleep: realSleep }, {});
    expect(connackOf(c)?.properties?.receiveMaximum).toBeUndefined();
  });
});
