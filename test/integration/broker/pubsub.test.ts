import { describe, expect, it } from "vitest";
import { broker, client, inbox, sentTo, until } from "./helpers.js";

describe.each([4, 5] as const)("embedded broker, MQTT %i", (protocolVersion) => {
  it("connects and answers a ping", async () => {
    const b = await broker();
    const c = await client(b, { protocolVersion, clientId: "pinger" });
    let pongs = 0;
    c.on("packetreceive", (p) => {
      if (p.cmd === "pingresp") pongs++;
    });
    c.sendPing();
    await until(() => pongs === 1, 5000, "pingresp");
    expect(b.stats().internalErrors).toBe(0);
  });

  it("delivers with + and # wildcards at the min of publish and subscription QoS, and stops after unsubscribe", async () => {
    const b = await broker();
    const sub = await client(b, { protocolVersion, clientId: "sub" });
    const pub = await client(b, { protocolVersion, clientId: "pub" });
    const got = inbox(sub);
    await sub.subscribeAsync({ "a/+/c": { qos: 1 }, "x/#": { qos: 2 } });
    await pub.publishAsync("a/b/c", "one", { qos: 2 });
    await pub.publishAsync("x", "two", { qos: 2 });
    await pub.publishAsync("x/y/z", "three", { qos: 0 });
    await pub.publishAsync("a/b/d", "nope", { qos: 1 });
    await until(() => got.length === 3, 5000, "three messages");
    expect(got).toEqual([
      { topic: "a/b/c", payload: "one", qos: 1, retain: false },
      { topic: "x", payload: "two", qos: 2, retain: false },
      { topic: "x/y/z", payload: "three", qos: 0, retain: false },
    ]);
    await sub.unsubscribeAsync("x/#");
    await pub.publishAsync("x/q", "after", { qos: 1 });
    await pub.publishAsync("a/q/c", "still", { qos: 1 });
    await until(() => got.length === 4, 5000, "fourth message");
    expect(got[3]?.payload).toBe("still");
  });

  it("stores retained messages, delivers them on subscribe, deletes on zero length", async () => {
    const b = await broker();
    const sent = sentTo(b, "rsub");
    const pub = await client(b, { protocolVersion, clientId: "rpub" });
    await pub.publishAsync("r/1", "kept", { qos: 1, retain: true });
    await pub.publishAsync("r/2", "gone", { qos: 1, retain: true });
    await pub.publishAsync("r/2", "", { qos: 1, retain: true });
    const sub = await client(b, { protocolVersion, clientId: "rsub" });
    const got = inbox(sub);
    await sub.subscribeAsync("r/#", { qos: 1 });
    // the SUBACK is in: what the broker sent for this SUBSCRIBE is all it will send
    expect(sent()).toBe(1);
    await until(() => got.length >= sent(), 5000, "retained");
    expect(got).toEqual([{ topic: "r/1", payload: "kept", qos: 1, retain: true }]);
  });
});
