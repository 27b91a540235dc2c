import mqttPacket, { type Packet } from "mqtt-packet";
import { afterEach, describe, expect, it } from "vitest";
import { type RawClient, rawConnectMqtt } from "../../helpers/raw-client.js";
import { broker, sentTo } from "./helpers.js";
import { collect, connect5, type Env, end, endAll, realSleep, settle, uniqueId } from "./mqtt5-procedures.js";

/**
 * (5.0) Subscription Identifiers on the spec profile (§3.8.2.1.2, §3.3.2.3.8), the cases the Paho MQTT 5
 * interoperability suite's subscribe-identifier test touches and the ones around them: each client gets its own
 * identifiers only; a SUBSCRIBE that replaces a subscription replaces its identifier (or drops it); a message kept
 * for an absent session carries the identifier when it goes out; an identifier of 0 is a Protocol Error.
 * (Overlapping subscriptions of one client: ./overlap.test.ts.)
 */
afterEach(endAll);

const opened: RawClient[] = [];
afterEach(() => {
  for (const c of opened.splice(0)) c.destroy();
});

const ids = (got: { payload: string; subscriptionIds: number[] }[]) =>
  got.map((m) => `${m.payload} [${m.subscriptionIds.join(",")}]`);

describe("spec profile: Subscription Identifiers", () => {
  it("each subscriber gets its own identifiers: A's 456789; B, also the publisher, its two (2 and 3) on one copy", async () => {
    const b = await broker({ profile: "spec" });
    const env: Env = { url: b.url, sleep: realSleep };
    const a = await connect5(env, {});
    await a.subscribeAsync("sid/t", { qos: 2, properties: { subscriptionIdentifier: 456789 } });
    const bc = await connect5(env, {});
    await bc.subscribeAsync("sid/t", { qos: 2, properties: { subscriptionIdentifier: 2 } });
    await bc.subscribeAsync("sid/t/#", { qos: 2, properties: { subscriptionIdentifier: 3 } });
    const sentA = sentTo(b, a.options.clientId ?? "");
    const sentBc = sentTo(b, bc.options.clientId ?? "");
    await bc.publishAsync("sid/t", "m", { qos: 1 });
    // the PUBACK is in: the broker has sent every copy it will (one each, B's with both identifiers)
    expect([sentA(), sentBc()]).toEqual([1, 1]);
    await settle(() => collect(a).length >= 1 && collect(bc).length >= 1, 3000);
    expect(ids(collect(a))).toEqual(["m [456789]"]);
    expect(ids(collect(bc))).toEqual(["m [2,3]"]);
  });

  it("the largest identifier, 268,435,455, goes out unchanged", async () => {
    const b = await broker({ profile: "spec" });
    const c = await connect5({ url: b.url, sleep: realSleep }, {});
    await c.subscribeAsync("sid/max", { qos: 1, properties: { subscriptionIdentifier: 268_435_455 } });
    await c.publishAsync("sid/max", "m", { qos: 1 });
    await settle(() => collect(c).length >= 1, 3000);
    expect(ids(collect(c))).toEqual(["m [268435455]"]);
  });

  it("a SUBSCRIBE to the same filter replaces the identifier; one without any drops it", async () => {
    const b = await broker({ profile: "spec" });
    const c = await connect5({ url: b.url, sleep: realSleep }, {});
    await c.subscribeAsync("sid/r", { qos: 1, properties: { subscriptionIdentifier: 5 } });
    await c.publishAsync("sid/r", "first", { qos: 1 });
    await settle(() => collect(c).length >= 1, 3000);
    await c.subscribeAsync("sid/r", { qos: 1, properties: { subscriptionIdentifier: 6 } });
    await c.publishAsync("sid/r", "second", { qos: 1 });
    await settle(() => collect(c).length >= 2, 3000);
    await c.subscribeAsync("sid/r", { qos: 1 });
    await c.publishAsync("sid/r", "third", { qos: 1 });
    await settle(() => collect(c).length >= 3, 3000);
    expect(ids(collect(c))).toEqual(["first [5]", "second [6]", "third []"]);
  });

  it("a message kept for an absent session goes out with the identifier when the client comes back", async () => {
    const b = await broker({ profile: "spec" });
    const env: Env = { url: b.url, sleep: realSleep };
    const clientId = uniqueId("sid-kept");
    const session = { clientId, clean: true, properties: { sessionExpiryInterval: 300 } };
    const sub = await connect5(env, session);
    await sub.subscribeAsync("sid/k", { qos: 1, properties: { subscriptionIdentifier: 77 } });
    await end(sub);
    const pub = await connect5(env, {});
    await pub.publishAsync("sid/k", "while away", { qos: 1 });
    const back = await connect5(env, { ...session, clean: false });
    await settle(() => collect(back).length >= 1, 3000);
    expect(ids(collect(back))).toEqual(["while away [77]"]);
  });

  it("an MQTT 3.1.1 subscriber gets no identifier property (3.1.1 has none)", async () => {
    const b = await broker({ profile: "spec" });
    const env: Env = { url: b.url, sleep: realSleep };
    const v5 = await connect5(env, {});
    await v5.subscribeAsync("sid/v", { qos: 1, properties: { subscriptionIdentifier: 9 } });
    const v4 = await rawConnectMqtt(b.port, { clientId: uniqueId("sid-v4"), protocolVersion: 4 });
    opened.push(v4);
    v4.send(
      mqttPacket.generate({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "sid/v", qos: 0 }] }),
    );
    await v4.waitForPackets(2, 4);
    await v5.publishAsync("sid/v", "m", { qos: 1 });
    const [, , publish] = await v4.waitForPackets(3, 4);
    expect(publish?.cmd).toBe("publish");
    await settle(() => collect(v5).length >= 1, 3000);
    expect(ids(collect(v5))).toEqual(["m [9]"]);
  });

  it("a Subscription Identifier of 0 is a Protocol Error: DISCONNECT 0x82 and the close", async () => {
    const b = await broker({ profile: "spec" });
    const c = await rawConnectMqtt(b.port, { clientId: uniqueId("sid-zero"), protocolVersion: 5 });
    opened.push(c);
    // SUBSCRIBE, packet id 1, properties: 0x0B (Subscription Identifier) 0, filter "t", options QoS 0
    c.send(Buffer.from([0x82, 0x09, 0x00, 0x01, 0x02, 0x0b, 0x00, 0x00, 0x01, 0x74, 0x00]));
    const packets: Packet[] = (await c.waitForPackets(2, 5)).slice(1);
    expect(packets.map((p) => (p.cmd === "disconnect" ? `disconnect ${p.reasonCode}` : p.cmd))).toEqual([
      "disconnect 130",
    ]);
    expect((await c.waitForEnd(3000)).kind).not.toBe("open");
  });
});
