import { afterEach, describe, expect, it } from "vitest";
import { mosquittoAvailable } from "../helpers/mosquitto.js";
import { arrivalsPerAck } from "./broker/mqtt5-flow.js";
import { connackOf, connect5, endAll } from "./broker/mqtt5-procedures.js";
import { mosquittoSideBySide } from "./broker/side-by-side.js";

/**
 * (5.0) Receive Maximum on the real mosquitto 2.0.11 and the embedded mosquitto profile side by side. Measured
 * (5 runs each, no variance): mosquitto sends the client's Receive Maximum of QoS 1 messages at first, but then
 * each PUBACK lets up to Receive Maximum more out, so more than the maximum end up in flight (Receive Maximum 2,
 * 6 messages acknowledged one at a time: 2, 4, 6 arrived) — not what [MQTT-3.3.4-9] asks. Its CONNACK says Topic
 * Alias Maximum 10 and Receive Maximum 20, and it caps what is in flight at 20 (`max_inflight_messages`) for a
 * client that sets no Receive Maximum, 3.1.1 ones too (measured with raw sockets: 20 of 30, the rest after one ack).
 */
describe.runIf(mosquittoAvailable())("Receive Maximum: real mosquitto and the mosquitto profile", () => {
  const { both } = mosquittoSideBySide();
  afterEach(endAll);

  for (const rm of [1, 2, 3]) {
    it(`Receive Maximum ${rm}, 6 messages acknowledged one at a time: up to ${rm} more per ack, on both`, async () => {
      const [r, e] = await both((b) => arrivalsPerAck(b.env, b.port, rm, 6));
      expect(e).toEqual(r);
      expect(r?.counts).toEqual([0, 1, 2, 3, 4, 5, 6].map((k) => Math.min(6, rm * (k + 1))));
      expect(r?.order).toEqual(["m0", "m1", "m2", "m3", "m4", "m5"]);
    }, 20_000);
  }

  it("no Receive Maximum: 20 of 30 at first (max_inflight_messages), the other 10 after one ack, on both", async () => {
    const [r, e] = await both((b) => arrivalsPerAck(b.env, b.port, undefined, 30, 150, 1));
    expect(r?.counts).toEqual([20, 30]);
    expect(e?.counts).toEqual(r?.counts);
  }, 20_000);

  it("CONNACK: Topic Alias Maximum 10 and Receive Maximum 20, nothing else, on both", async () => {
    const [r, e] = await both((b) => connect5(b.env, {}));
    expect((e && connackOf(e))?.properties).toEqual((r && connackOf(r))?.properties);
    expect((r && connackOf(r))?.properties).toEqual({ topicAliasMaximum: 10, receiveMaximum: 20 });
  });
});
