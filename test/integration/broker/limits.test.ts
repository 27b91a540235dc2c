import net from "node:net";
import mqttPacket, { type IConnackPacket } from "mqtt-packet";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../../src/broker/index.js";
import type { ProfileName } from "../../../src/core/profile.js";
import { type RawClient, rawConnectMqtt } from "../../helpers/raw-client.js";
import { broker, client, inbox, until } from "./helpers.js";

/** Resource abuse a real broker must survive: oversized packets, and a subscriber that never reads. */
const raws: RawClient[] = [];
afterEach(() => {
  for (const r of raws.splice(0)) r.destroy();
});
async function rawMqtt(port: number, clientId: string, protocolVersion: 4 | 5 = 4): Promise<RawClient> {
  const r = await rawConnectMqtt(port, { clientId, protocolVersion });
  raws.push(r);
  return r;
}

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
/** A PUBLISH fixed header declaring 268,435,455 remaining bytes (the protocol's largest), and no body. */
const HUGE_PUBLISH_HEADER = hex("30 ff ff ff 7f");

describe("a declared ~256 MB packet", () => {
  const cases: [ProfileName, 4 | 5, "fin" | "rst", string][] = [
    ["nanomq", 4, "fin", ""],
    ["nanomq", 5, "fin", ""],
    // measured on mosquitto with max_packet_size (test/integration/mosquitto-oversize.test.ts)
    ["mosquitto", 4, "fin", ""], // the header alone: nothing unread, so no RST
    ["mosquitto", 5, "fin", "e00195"],
    ["spec", 4, "fin", ""],
    ["spec", 5, "fin", "e0029500"], // (5.0) §3.2.2.3.6 packet too large
  ];
  it.each(cases)(
    "%s, MQTT %i: closed (%s) as soon as the length is read, reply %j",
    async (profile, v, kind, reply) => {
      const b = await broker({ profile });
      const c = await rawMqtt(b.port, `huge-${profile}-${v}`, v);
      const before = c.received().length;
      c.send(HUGE_PUBLISH_HEADER);
      const end = await c.waitForEnd(2000);
      expect(end.kind).toBe(kind);
      expect(end.afterLastSendMs).toBeLessThan(500);
      expect(c.received().subarray(before).toString("hex")).toBe(reply);
      expect(b.stats()).toMatchObject({ internalErrors: 0, violations: 1, connections: 0 });
      if (profile === "nanomq")
        expect(b.logLines().map((l) => l.line)).toContainEqual(expect.stringMatching(/rv: 17$/));
    },
  );

  it("before CONNECT too: a CONNECT declaring 256 MB is refused at once", async () => {
    const b = await broker({ profile: "spec" });
    const s = net.connect(b.port, b.host);
    const closed = new Promise<number>((resolve) => {
      const t0 = performance.now();
      s.on("close", () => resolve(performance.now() - t0));
    });
    s.on("error", () => {});
    s.write(hex("10 ff ff ff 7f 00 04 4d 51 54 54"));
    expect(await closed).toBeLessThan(500);
    expect(b.stats().violations).toBe(1);
  });
});

describe("the maximum packet size", () => {
  const limit = 1000;
  /** A 3.1.1 QoS 0 PUBLISH to "t" of exactly `total` bytes, fixed header included. */
  const publishOfSize = (total: number) => {
    const packet = (payloadBytes: number) =>
      mqttPacket.generate({
        cmd: "publish",
        topic: "t",
        payload: Buffer.alloc(payloadBytes, 0x61),
        qos: 0,
        retain: false,
        dup: false,
      });
    const guess = packet(total - 5); // the 1-byte remaining length and the topic
    return packet(total - 5 - (guess.length - total));
  };

  it("a packet of exactly maxPacketBytes is delivered, one byte more closes the connection", async () => {
    const b = await broker({ profile: "spec", maxPacketBytes: limit });
    const sub = await client(b, { clientId: "size-sub" });
    const got = inbox(sub);
    await sub.subscribeAsync("t");
    const fits = publishOfSize(limit);
    const over = publishOfSize(limit + 1);
    expect([fits.length, over.length]).toEqual([limit, limit + 1]);
    const pub = await rawMqtt(b.port, "size-pub");
    pub.send(fits);
    await until(() => got.length === 1, 5000, "the packet at the limit");
    expect(pub.ended().kind).toBe("open");
    pub.send(over);
    expect((await pub.waitForEnd(2000)).kind).toBe("fin");
    expect(got).toHaveLength(1);
  });

  it("MQTT 5: CONNACK states the limit as Maximum Packet Size on spec and nanomq ≥ 0.25 (as 0.25.3 does), not on 0.21.9", async () => {
    const cases = [
      ["spec", undefined, limit],
      ["nanomq", undefined, limit],
      ["nanomq", [0, 21, 9], undefined],
    ] as const;
    for (const [profile, nanomqVersion, expected] of cases) {
      const b = await broker({ profile, maxPacketBytes: limit, ...(nanomqVersion ? { nanomqVersion } : {}) });
      const c = await client(b, { clientId: `max-${profile}`, protocolVersion: 5 });
      const connack = (c as unknown as { connackPacket?: IConnackPacket }).connackPacket;
      expect(connack?.properties?.maximumPacketSize, `${profile} ${nanomqVersion ?? ""}`).toBe(expected);
    }
  });

  it("a packet of the default maximum size trickled in ~1000 chunks arrives whole", async () => {
    const b = await broker({ profile: "spec" });
    const sub = await client(b, { clientId: "trickle-sub" });
    const got = inbox(sub);
    await sub.subscribeAsync("t");
    const pub = await rawMqtt(b.port, "trickle-pub");
    const packet = publishOfSize(DEFAULT_LIMITS.maxPacketBytes);
    const step = Math.ceil(packet.length / 997);
    for (let at = 0; at < packet.length; at += step) {
      pub.send(packet.subarray(at, at + step));
      if (at % (step * 50) === 0) await new Promise((r) => setImmediate(r));
    }
    await until(() => got.length === 1, 10_000, "the trickled packet");
    expect(packet.length).toBe(DEFAULT_LIMITS.maxPacketBytes);
    expect(got[0]?.payload.length).toBe(packet.length - 7);
  });

  it("a v5 subscriber's own Maximum Packet Size: larger messages are not sent to it [MQTT-3.1.2-25]", async () => {
    const b = await broker({ profile: "spec" });
    const small = await client(b, {
      clientId: "small",
      protocolVersion: 5,
      properties: { maximumPacketSize: 100 },
    });
    const got = inbox(small);
    await small.subscribeAsync("m/#", { qos: 1 });
    const pub = await client(b, { clientId: "m-pub" });
    await pub.publishAsync("m/big", Buffer.alloc(200), { qos: 1 });
    await pub.publishAsync("m/small", "fits", { qos: 1 });
    await until(() => got.length === 1, 5000, "the small message");
    expect(got.map((m) => m.topic)).toEqual(["m/small"]);
    expect(small.connected).toBe(true);
  });
});

describe("a subscriber that never reads", () => {
  it("does not make the broker buffer without bound nor hang its shutdown; others get every message", async () => {
    const maxOutboundBytes = 256 * 1024;
    const b = await broker({ profile: "spec", maxOutboundBytes });
    // The stalled subscriber: a raw socket that subscribes and then stops reading.
    const stalled = await rawMqtt(b.port, "stalled");
    stalled.send(
      mqttPacket.generate({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "flood", qos: 0 }] }),
    );
    await stalled.waitForPackets(2);
    stalled.socket.pause();
    let stalledBytes = 0;
    stalled.socket.removeAllListeners("data");
    stalled.socket.on("data", (d: Buffer) => {
      stalledBytes += d.length;
    });
    const healthy = await client(b, { clientId: "reader" });
    let healthyCount = 0;
    healthy.on("message", () => healthyCount++);
    await healthy.subscribeAsync("flood", { qos: 1 });
    const pub = await client(b, { clientId: "flooder" });
    const payload = Buffer.alloc(64 * 1024, 0x78);
    const messages = 640; // 40 MB
    for (let i = 0; i < messages; i++) await pub.publishAsync("flood", payload, { qos: 1 });
    await until(() => healthyCount === messages, 20_000, "every message at the healthy subscriber");
    expect(b.stats().droppedMessages).toBeGreaterThan(messages / 2);
    expect(b.stats().internalErrors).toBe(0);
    expect(pub.connected && healthy.connected).toBe(true);
    // Shutting down does not wait forever for a peer that never takes its FIN (2 s grace on the clock).
    const closing = performance.now();
    await b.close();
    expect(performance.now() - closing).toBeLessThan(4000);
    // What the stalled subscriber can still get is the broker's bounded buffer plus the kernel's socket buffers:
    // read to the end of its connection, which the broker's shutdown closed.
    stalled.socket.resume();
    expect((await stalled.waitForEnd(10_000)).kind).not.toBe("open");
    expect(stalledBytes).toBeLessThan((messages * payload.length) / 4);
  });
});
