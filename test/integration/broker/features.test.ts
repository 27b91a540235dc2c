import mqttPacket, { type IConnackPacket, type Packet } from "mqtt-packet";
import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../src/broker/index.js";
import { scaledClock } from "../../../src/core/clock.js";
import type { ProfileName } from "../../../src/core/profile.js";
import { broker, client, inbox, raw, sentTo, until } from "./helpers.js";

describe.each([4, 5] as const)("MQTT %i", (protocolVersion) => {
  it("CONNACK: no Server Keep Alive; an empty client id gets one assigned", async () => {
    const b = await broker();
    const c = await client(b, { protocolVersion, clientId: "", clean: true });
    const connack = (c as unknown as { connackPacket?: IConnackPacket }).connackPacket;
    await until(() => b.logLines().some((l) => l.signature === "client-connected"), 5000, "online line");
    const assigned = b.logLines().find((l) => l.signature === "client-connected")?.clientId ?? "";
    expect(assigned).toMatch(/^mqdiag-auto-\d+$/);
    if (protocolVersion === 5) {
      expect(connack?.properties?.assignedClientIdentifier).toBe(assigned);
      expect(connack?.properties?.serverKeepAlive).toBeUndefined();
      expect(connack?.reasonCode).toBe(0);
    } else {
      expect(connack?.returnCode).toBe(0);
    }
  });

  it("QoS 2 both ways: PUBREC/PUBREL/PUBCOMP flow in and out, exactly once", async () => {
    const b = await broker();
    const trace: TraceEvent[] = [];
    b.on("trace", (e) => trace.push(e));
    const sub = await client(b, { protocolVersion, clientId: "q2sub" });
    const pub = await client(b, { protocolVersion, clientId: "q2pub" });
    const got = inbox(sub);
    await sub.subscribeAsync("q/2", { qos: 2 });
    await pub.publishAsync("q/2", "exactly-once", { qos: 2 });
    await until(() => got.length === 1, 5000, "message");
    await until(() => trace.some((e) => e.type === "packet-in" && e.packet === "pubcomp"), 5000, "PUBCOMP");
    const flow = (id: string) =>
      trace
        .filter((e) => (e.type === "packet-in" || e.type === "packet-out") && e.clientId === id)
        .map((e) => `${e.type === "packet-in" ? "in" : "out"}:${(e as { packet: string }).packet}`)
        .filter((s) => /pub/.test(s));
    expect(flow("q2pub")).toEqual(["in:publish", "out:pubrec", "in:pubrel", "out:pubcomp"]);
    expect(flow("q2sub")).toEqual(["out:publish", "in:pubrec", "out:pubrel", "in:pubcomp"]);
    expect(got).toEqual([{ topic: "q/2", payload: "exactly-once", qos: 2, retain: false }]);
  });

  it("QoS 1 out to the subscriber is acknowledged with PUBACK", async () => {
    const b = await broker();
    const trace: TraceEvent[] = [];
    b.on("trace", (e) => trace.push(e));
    const sub = await client(b, { protocolVersion, clientId: "q1sub" });
    const got = inbox(sub);
    await sub.subscribeAsync("q/1", { qos: 1 });
    const pub = await client(b, { protocolVersion, clientId: "q1pub" });
    await pub.publishAsync("q/1", "at-least-once", { qos: 1 });
    await until(() => trace.some((e) => e.type === "packet-in" && e.packet === "puback"), 5000, "PUBACK");
    expect(got.map((m) => m.qos)).toEqual([1]);
  });
});

describe("will messages", () => {
  const endings: [
    string,
    "will" | "none",
    (s: import("node:net").Socket | undefined, c: import("mqtt").MqttClient) => void,
  ][] = [
    ["reset", "will", (s) => s?.resetAndDestroy()],
    ["fin", "will", (s) => s?.end()],
    ["disconnect", "none", (_s, c) => void c.end()],
  ];
  it.each(endings)("published on %s: %s", async (_name, expected, end) => {
    const b = await broker();
    const sent = sentTo(b, "watcher");
    const watcher = await client(b, { clientId: "watcher" });
    const got = inbox(watcher);
    await watcher.subscribeAsync("wills/#", { qos: 1 });
    const dying = await client(b, {
      clientId: "dying",
      will: { topic: "wills/dying", payload: Buffer.from("gone"), qos: 1, retain: false },
    });
    end(dying.stream as import("node:net").Socket, dying);
    await until(() => b.stats().connections === 1, 5000, "the close");
    // the broker publishes a will (no delay here) as it closes the connection: what it sent is final
    expect(sent()).toBe(expected === "will" ? 1 : 0);
    await until(() => got.length >= sent(), 5000, "the will");
    expect(got).toEqual(
      expected === "will" ? [{ topic: "wills/dying", payload: "gone", qos: 1, retain: false }] : [],
    );
  });

  it("published on a keepalive kick", async () => {
    const clock = scaledClock(50);
    const b = await broker({ clock, retryIntervalMs: 1000 });
    const watcher = await client(b, { clientId: "watcher", keepalive: 0 });
    const got = inbox(watcher);
    await watcher.subscribeAsync("wills/#");
    const s = await raw(b);
    s.socket.write(
      mqttPacket.generate({
        cmd: "connect",
        protocolId: "MQTT",
        protocolVersion: 4,
        clean: true,
        clientId: "silent",
        keepalive: 1,
        will: { topic: "wills/silent", payload: Buffer.from("kicked"), qos: 0, retain: false },
      }),
    );
    await s.closed;
    await until(() => got.length === 1, 5000, "will");
    expect(got[0]).toEqual({ topic: "wills/silent", payload: "kicked", qos: 0, retain: false });
    expect(b.logLines().map((l) => l.signature)).toContain("keepalive-timeout");
  });
});

describe("takeover", () => {
  const cases: [ProfileName, 4 | 5, number | null][] = [
    ["spec", 5, 0x8e],
    ["spec", 4, null],
    ["nanomq", 5, null],
    ["mosquitto", 5, null],
  ];
  it.each(cases)(
    "%s, MQTT %i: old connection closed, DISCONNECT reason %s",
    async (profile, protocolVersion, reason) => {
      const b = await broker({ profile });
      const first = await client(b, { protocolVersion, clientId: "same" });
      const packets: Packet[] = [];
      first.on("packetreceive", (p) => packets.push(p));
      const closed = new Promise<void>((resolve) => first.stream.once("close", () => resolve()));
      const second = await client(b, { protocolVersion, clientId: "same" });
      await closed;
      const disconnects = packets.filter((p) => p.cmd === "disconnect");
      expect(disconnects.map((p) => (p as { reasonCode?: number }).reasonCode)).toEqual(
        reason === null ? [] : [reason],
      );
      expect(second.connected).toBe(true);
      expect(b.logLines().map((l) => l.signature)).toContain("takeover");
    },
  );
});

describe("sessions", () => {
  it("clean session off: subscriptions survive a reconnect, CONNACK says session present", async () => {
    const b = await broker();
    const first = await client(b, { clientId: "keeper", clean: false });
    await first.subscribeAsync("kept/#", { qos: 1 });
    await first.endAsync();
    const again = await client(b, { clientId: "keeper", clean: false });
    expect((again as unknown as { connackPacket?: IConnackPacket }).connackPacket?.sessionPresent).toBe(true);
    const got = inbox(again);
    const pub = await client(b, { clientId: "kpub" });
    await pub.publishAsync("kept/x", "still subscribed", { qos: 1 });
    await until(() => got.length === 1, 5000, "message on the kept subscription");
    const fresh = await client(b, { clientId: "keeper", clean: true });
    expect((fresh as unknown as { connackPacket?: IConnackPacket }).connackPacket?.sessionPresent).toBe(
      false,
    );
  });
});
