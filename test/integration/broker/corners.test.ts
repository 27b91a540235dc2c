import mqttPacket, { type IPublishPacket } from "mqtt-packet";
import { describe, expect, it } from "vitest";
import { manualClock } from "../../../src/core/clock.js";
import { PROFILES, type ProfileName } from "../../../src/core/profile.js";
import { type RawClient, rawConnect, rawConnectMqtt } from "../../helpers/raw-client.js";
import { broker, client, inbox, sentTo, until } from "./helpers.js";

/** Protocol corners with real MQTT.js clients (and raw bytes where MQTT.js refuses to misbehave). */
async function track<T extends RawClient>(c: Promise<T>, list: RawClient[]): Promise<T> {
  const r = await c;
  list.push(r);
  return r;
}

describe("keepalive 0 in every profile", () => {
  const cases: [ProfileName, string, boolean][] = [
    ["nanomq", "latest", false],
    ["nanomq", "0.24.11", true], // builds before 0.24.12 kicked keepalive 0 like any other (docs/broker-facts.md)
    ["mosquitto", "latest", false],
    ["spec", "latest", false],
  ];
  it.each(cases)(
    "%s %s: a silent MQTT.js client with keepalive 0 is kicked: %s",
    async (profile, version, kicked) => {
      const [major = 0, minor = 0, patch = 0] = version === "latest" ? [999] : version.split(".").map(Number);
      const clock = manualClock();
      const b = await broker({
        profile,
        retryIntervalMs: 1000,
        nanomqVersion: [major, minor, patch],
        clock,
      });
      const c = await client(b, { clientId: `ka0-${profile}`, keepalive: 0 });
      clock.advance(100_000); // every tick or sweep of 100 s, at once
      expect(b.logLines().some((l) => l.signature === "keepalive-timeout")).toBe(kicked);
      expect(b.stats().connections).toBe(kicked ? 0 : 1);
      if (kicked) await until(() => !c.connected, 5_000, "MQTT.js to see the kick");
      expect(c.connected).toBe(!kicked);
    },
  );
});

describe.each([4, 5] as const)("MQTT %i", (protocolVersion) => {
  const publish = (messageId: number, payload: string, dup: boolean): Buffer =>
    mqttPacket.generate(
      {
        cmd: "publish",
        topic: "q2/dup",
        payload: Buffer.from(payload),
        qos: 2,
        messageId,
        dup,
        retain: false,
      },
      { protocolVersion },
    );

  it("QoS 2: the same packet id re-sent before PUBREL is delivered once; after PUBREL the id is new", async () => {
    const b = await broker();
    const sent = sentTo(b, "dup-sub");
    const sub = await client(b, { protocolVersion, clientId: "dup-sub" });
    const got = inbox(sub);
    await sub.subscribeAsync("q2/dup", { qos: 2 });
    const raws: RawClient[] = [];
    try {
      const pub = await track(rawConnectMqtt(b.port, { clientId: "dup-pub", protocolVersion }), raws);
      pub.send(publish(7, "first", false));
      pub.send(publish(7, "first", true)); // [MQTT-4.3.3-2] a re-send with DUP before PUBREL
      await pub.waitForPackets(3, protocolVersion); // CONNACK, PUBREC, PUBREC
      pub.send(mqttPacket.generate({ cmd: "pubrel", messageId: 7 }, { protocolVersion }));
      await pub.waitForPackets(4, protocolVersion);
      pub.send(publish(7, "second", false)); // the id is free again: a new message
      await pub.waitForPackets(5, protocolVersion); // its PUBREC: the broker has handled it
      expect(sent()).toBe(2);
      await until(() => got.length === 2, 5000, "two messages");
      expect(got.map((m) => m.payload)).toEqual(["first", "second"]);
      expect(
        pub
          .packets(protocolVersion)
          .slice(1)
          .map((p) => `${p.cmd}:${(p as { messageId?: number }).messageId}`),
      ).toEqual(["pubrec:7", "pubrec:7", "pubcomp:7", "pubrec:7"]);
    } finally {
      for (const r of raws) r.destroy();
    }
  });

  it("retained messages with wildcard filters: + and # match, $ topics only by name", async () => {
    // spec profile: nanomq re-sends a retained message for every earlier matching subscription on each SUBSCRIBE
    // (measured, test/integration/nanomq/overlap.test.ts), which would double a/b and a/c here
    const b = await broker({ profile: "spec" });
    const pub = await client(b, { protocolVersion, clientId: "rw-pub" });
    for (const topic of ["a/b", "a/c", "a/b/c", "x", "$SYS/uptime"])
      await pub.publishAsync(topic, topic, { qos: 1, retain: true });
    const sent = sentTo(b, "rw-sub");
    const sub = await client(b, { protocolVersion, clientId: "rw-sub" });
    const got = inbox(sub);
    await sub.subscribeAsync({ "a/+": { qos: 1 } });
    await until(() => got.length === 2, 5000, "a/+");
    await sub.subscribeAsync({ "#": { qos: 0 } });
    await until(() => got.length === 6, 5000, "#");
    await sub.subscribeAsync({ "$SYS/#": { qos: 0 } });
    // the SUBACKs are in: the broker sent all it will for these SUBSCRIBEs
    expect(sent()).toBe(7);
    await until(() => got.length === 7, 5000, "$SYS/#");
    // [MQTT-4.7.2-1] a filter starting with a wildcard does not match a topic starting with $
    expect(got.slice(0, 2).map((m) => m.topic)).toEqual(["a/b", "a/c"]);
    expect(got.slice(2, 6).map((m) => m.topic)).toEqual(["a/b", "a/c", "a/b/c", "x"]);
    expect(got.slice(6).map((m) => m.topic)).toEqual(["$SYS/uptime"]);
    expect(got.every((m) => m.retain)).toBe(true);
  });

  it("a will with retain is delivered and then kept as the retained message", async () => {
    const b = await broker();
    const watcher = await client(b, { protocolVersion, clientId: "w-watch" });
    const live = inbox(watcher);
    await watcher.subscribeAsync("status/+", { qos: 1 });
    const dying = await client(b, {
      protocolVersion,
      clientId: "w-dying",
      will: { topic: "status/dying", payload: Buffer.from("offline"), qos: 1, retain: true },
    });
    (dying.stream as import("node:net").Socket).resetAndDestroy();
    await until(() => live.length === 1, 5000, "the will");
    expect(live[0]).toMatchObject({ topic: "status/dying", payload: "offline", retain: false });
    const later = await client(b, { protocolVersion, clientId: "w-later" });
    const kept = inbox(later);
    await later.subscribeAsync("status/#", { qos: 1 });
    await until(() => kept.length === 1, 5000, "the retained will");
    expect(kept[0]).toEqual({ topic: "status/dying", payload: "offline", qos: 1, retain: true });
  });

  it("a second CONNECT: NanoMQ 0.21.9 accepts it silently; 0.25.3, mosquitto and the spec close [MQTT-3.1.0-2]", async () => {
    // measured on the real builds (test/integration/nanomq/fidelity.test.ts): 0.25.3 says "Got invalid CONNECT"
    const outcomes: Record<string, string> = {};
    for (const profile of [...PROFILES, "nanomq 0.21.9"] as const) {
      const b =
        profile === "nanomq 0.21.9"
          ? await broker({ profile: "nanomq", nanomqVersion: [0, 21, 9] })
          : await broker({ profile });
      const raws: RawClient[] = [];
      try {
        const c = await track(
          rawConnectMqtt(b.port, { clientId: `twice-${profile}`, protocolVersion }),
          raws,
        );
        c.send(
          mqttPacket.generate({
            cmd: "connect",
            clientId: "again",
            protocolVersion,
            clean: true,
            keepalive: 60,
          }),
        );
        outcomes[profile] = (await c.waitForEnd(500)).kind;
      } finally {
        for (const r of raws) r.destroy();
      }
    }
    expect(outcomes).toEqual({ nanomq: "fin", "nanomq 0.21.9": "open", mosquitto: "fin", spec: "fin" });
  });
});

describe("MQTT 5 properties round trip", () => {
  it("user properties, content type, response topic, correlation data reach the subscriber, live and retained", async () => {
    const b = await broker();
    const sub = await client(b, { protocolVersion: 5, clientId: "props-sub" });
    const packets: IPublishPacket[] = [];
    sub.on("message", (_t, _p, packet) => packets.push(packet));
    await sub.subscribeAsync("props/#", { qos: 1 });
    const pub = await client(b, { protocolVersion: 5, clientId: "props-pub" });
    const properties = {
      payloadFormatIndicator: true,
      contentType: "application/json",
      responseTopic: "props/reply",
      correlationData: Buffer.from("c0ffee", "hex"),
      userProperties: { trace: "abc", shard: "7" },
    };
    await pub.publishAsync("props/x", "{}", { qos: 1, retain: true, properties });
    await until(() => packets.length === 1, 5000, "the live message");
    const late = await client(b, { protocolVersion: 5, clientId: "props-late" });
    const retained: IPublishPacket[] = [];
    late.on("message", (_t, _p, packet) => retained.push(packet));
    await late.subscribeAsync("props/#", { qos: 1 });
    await until(() => retained.length === 1, 5000, "the retained message");
    for (const packet of [packets[0], retained[0]]) expect(packet?.properties).toMatchObject(properties);
  });
});

describe("an empty client id", () => {
  /** CONNECT with an empty client id and clean session/start off: by hand, as MQTT.js and mqtt-packet refuse to. */
  const connectEmptyUnclean = (protocolVersion: 4 | 5) =>
    Buffer.from(
      protocolVersion === 5
        ? "100d00044d5154540500003c000000" // v5: flags 0, keepalive 60, no properties, client id ""
        : "100c00044d5154540400003c0000", // 3.1.1: flags 0, keepalive 60, client id ""
      "hex",
    );

  it.each([
    // [MQTT-3.1.3-8] (3.1.1) refused with return code 2, identifier rejected, and closed
    [4, { returnCode: 2 }, "fin"],
    // (5.0) [MQTT-3.1.3-6] the server may accept it and assigns an identifier
    [
      5,
      { reasonCode: 0, properties: { assignedClientIdentifier: expect.stringMatching(/^mqdiag-auto-\d+$/) } },
      "open",
    ],
  ] as const)(
    "MQTT %i with clean session off (3.1.1 refused with 0x02 and closed, 5 given an id)",
    async (protocolVersion, connack, end) => {
      const b = await broker();
      const raws: RawClient[] = [];
      try {
        const c = await track(rawConnect(b.port), raws);
        c.send(connectEmptyUnclean(protocolVersion));
        const ended = await c.waitForEnd(500);
        expect(c.packets(protocolVersion)).toMatchObject([
          { cmd: "connack", sessionPresent: false, ...connack },
        ]);
        expect(ended.kind).toBe(end);
        expect(b.stats().connections).toBe(end === "open" ? 1 : 0);
      } finally {
        for (const r of raws) r.destroy();
      }
    },
  );
});
