import type { IConnackPacket, IPublishPacket, IPubrelPacket } from "mqtt-packet";
import mqttPacket from "mqtt-packet";
import { afterEach, describe, expect, it } from "vitest";
import { manualClock } from "../../../src/core/clock.js";
import { type RawClient, rawConnectMqtt } from "../../helpers/raw-client.js";
import { broker, client, inbox, sentTo, until } from "./helpers.js";
import { measureResume } from "./sessions-resume.js";

/** Persistent sessions on the spec profile: what MQTT 3.1.1 §4.1 / 5.0 §4.1 ask of a server. */

const sessionPresent = (c: unknown): boolean | undefined =>
  (c as { connackPacket?: IConnackPacket }).connackPacket?.sessionPresent;

const raws: RawClient[] = [];
afterEach(() => {
  for (const r of raws.splice(0)) r.destroy();
});
async function raw(port: number, o: Parameters<typeof rawConnectMqtt>[1]): Promise<RawClient> {
  const r = await rawConnectMqtt(port, { keepalive: 0, ...o });
  raws.push(r);
  return r;
}
const bytes = (p: Parameters<typeof mqttPacket.generate>[0], v: 4 | 5 = 4) =>
  mqttPacket.generate(p, { protocolVersion: v });

describe("spec profile: queue while offline, deliver on resume", () => {
  for (const v of [4, 5] as const) {
    for (const qos of [1, 2] as const) {
      it(`MQTT ${v === 4 ? "3.1.1" : "5"}, QoS ${qos}: 10 queued while away, all 10 delivered in order, once`, async () => {
        const b = await broker({ profile: "spec" });
        const r = await measureResume(b.url, { n: 10, qos, waitMs: 300, protocolVersion: v });
        expect(r).toMatchObject({ sessionPresent: true, delivered: 10, lost: 0, duplicated: 0, dupFlags: 0 });
        expect(r.order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      });
    }
  }

  it("QoS 0 is not queued (3.1.1 §4.1: optional; the spec profile does not)", async () => {
    const b = await broker({ profile: "spec" });
    const r = await measureResume(b.url, { n: 5, qos: 0, waitMs: 300 });
    expect(r).toMatchObject({ sessionPresent: true, delivered: 0, lost: 5 });
  });

  it("the queue is bounded: past 1000 messages new ones are dropped and counted", async () => {
    const b = await broker({ profile: "spec" });
    const r = await measureResume(b.url, { n: 1003, qos: 1, waitMs: 1000 });
    expect(r.delivered).toBe(1000);
    expect(r.order.slice(0, 3)).toEqual([0, 1, 2]); // the oldest are kept
    expect(b.stats().queueOverflow).toBe(3);
  });
});

describe("spec profile: session present [MQTT-3.2.2-1..3] (3.1.1) / §3.2.2.1.1 (5.0)", () => {
  it("3.1.1: clean 0 with no session → 0; again → 1; clean 1 → 0 and the session is gone", async () => {
    const b = await broker({ profile: "spec" });
    const a = await client(b, { clientId: "sp", clean: false });
    expect(sessionPresent(a)).toBe(false);
    await a.endAsync();
    const again = await client(b, { clientId: "sp", clean: false });
    expect(sessionPresent(again)).toBe(true);
    await again.endAsync();
    const clean = await client(b, { clientId: "sp", clean: true });
    expect(sessionPresent(clean)).toBe(false);
    await clean.endAsync();
    await until(() => b.stats().sessions === 0, 2000, "the clean session to end with its connection");
  });

  it("5.0: clean start 0 but session expiry 0 → the session ends with the connection", async () => {
    const b = await broker({ profile: "spec" });
    const a = await client(b, { clientId: "v5", clean: false, protocolVersion: 5 });
    await a.subscribeAsync("t", { qos: 1 });
    await a.endAsync();
    const again = await client(b, { clientId: "v5", clean: false, protocolVersion: 5 });
    expect(sessionPresent(again)).toBe(false);
  });
});

describe("spec profile: session expiry (5.0 §3.1.2.11.2) on a manual clock", () => {
  /** The broker has taken the client's close in (its connection is gone): its session timers are set. */
  const closed = (b: Awaited<ReturnType<typeof broker>>) =>
    until(() => b.stats().connections === 0, 5_000, "the close");

  it("a 10 s session is resumed before 10 s and gone at 10 s", async () => {
    const clock = manualClock();
    const b = await broker({ profile: "spec", clock });
    const o = {
      clientId: "exp",
      clean: false,
      protocolVersion: 5 as const,
      properties: { sessionExpiryInterval: 10 },
      keepalive: 0,
    };
    const a = await client(b, o);
    await a.subscribeAsync("t", { qos: 1 });
    await a.endAsync();
    await closed(b);
    clock.advance(9_999);
    const before = await client(b, o);
    expect(sessionPresent(before)).toBe(true);
    await before.endAsync();
    await closed(b);
    clock.advance(9_999);
    expect(b.stats().sessions).toBe(1);
    clock.advance(1);
    expect(b.stats().sessions).toBe(0);
    const after = await client(b, o);
    expect(sessionPresent(after)).toBe(false);
  });

  it("3.1.1 clean session 0 never expires (no expiry timer)", async () => {
    const clock = manualClock();
    const b = await broker({ profile: "spec", clock });
    const o = { clientId: "forever", clean: false, keepalive: 0 };
    const a = await client(b, o);
    await a.subscribeAsync("t", { qos: 1 });
    await a.endAsync();
    await closed(b);
    clock.advance(365 * 24 * 3_600_000); // a year
    expect(b.stats().sessions).toBe(1);
    const again = await client(b, o);
    expect(sessionPresent(again)).toBe(true);
  });
});

describe("spec profile: unacknowledged messages re-sent [MQTT-4.4.0-1] (3.1.1)", () => {
  it("a QoS 1 PUBLISH not acked before the connection dropped comes again with DUP and its packet id", async () => {
    const b = await broker({ profile: "spec" });
    const sub = await raw(b.port, { clientId: "unacked", clean: false });
    sub.send(bytes({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "u", qos: 1 }] }));
    await sub.waitForPackets(2);
    const pub = await client(b, { clientId: "upub" });
    await pub.publishAsync("u", "one", { qos: 1 });
    const [, , first] = (await sub.waitForPackets(3)) as [unknown, unknown, IPublishPacket];
    expect(first).toMatchObject({ cmd: "publish", qos: 1, dup: false });
    sub.destroy(); // no PUBACK
    const again = await raw(b.port, { clientId: "unacked", clean: false });
    const [connack, redo] = (await again.waitForPackets(2)) as [IConnackPacket, IPublishPacket];
    expect(connack.sessionPresent).toBe(true);
    expect(redo).toMatchObject({ cmd: "publish", dup: true, qos: 1, messageId: first.messageId, topic: "u" });
    expect(redo.payload.toString()).toBe("one");
  });

  it("QoS 2 outbound: PUBREC sent, connection lost before PUBCOMP → PUBREL re-sent on resume", async () => {
    const b = await broker({ profile: "spec" });
    const sub = await raw(b.port, { clientId: "q2out", clean: false });
    sub.send(bytes({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "q2", qos: 2 }] }));
    await sub.waitForPackets(2);
    const pub = await client(b, { clientId: "q2pub" });
    await pub.publishAsync("q2", "two", { qos: 2 });
    const got = (await sub.waitForPackets(3))[2] as IPublishPacket;
    sub.send(bytes({ cmd: "pubrec", messageId: got.messageId }));
    const rel = (await sub.waitForPackets(4))[3] as IPubrelPacket;
    expect(rel).toMatchObject({ cmd: "pubrel", messageId: got.messageId });
    sub.destroy(); // no PUBCOMP
    const again = await raw(b.port, { clientId: "q2out", clean: false });
    const [, relAgain] = await again.waitForPackets(2);
    expect(relAgain).toMatchObject({ cmd: "pubrel", messageId: got.messageId });
    again.send(bytes({ cmd: "pubcomp", messageId: got.messageId }));
    // the broker answers a PINGREQ after what it sent for the packets before it
    again.send(bytes({ cmd: "pingreq" }));
    const after = await again.waitForPackets(3);
    expect(after[2]).toMatchObject({ cmd: "pingresp" });
    expect(again.packets().filter((p) => p.cmd === "publish")).toHaveLength(0); // not delivered twice
  });

  it("QoS 2 inbound: a PUBLISH re-sent after a reconnect (PUBREL not yet sent) is not delivered twice", async () => {
    const b = await broker({ profile: "spec" });
    const sent = sentTo(b, "q2in-sub");
    const sub = await client(b, { clientId: "q2in-sub" });
    await sub.subscribeAsync("in", { qos: 2 });
    const got = inbox(sub);
    const publish = (dup: boolean) =>
      bytes({
        cmd: "publish",
        topic: "in",
        payload: Buffer.from("x"),
        qos: 2,
        messageId: 7,
        dup,
        retain: false,
      });
    const p1 = await raw(b.port, { clientId: "q2in", clean: false });
    p1.send(publish(false));
    await p1.waitForPackets(2); // CONNACK, PUBREC
    p1.destroy();
    const p2 = await raw(b.port, { clientId: "q2in", clean: false });
    p2.send(publish(true));
    await p2.waitForPackets(2);
    p2.send(bytes({ cmd: "pubrel", messageId: 7 }));
    const [, rec, comp] = await p2.waitForPackets(3);
    expect(rec).toMatchObject({ cmd: "pubrec", messageId: 7 });
    expect(comp).toMatchObject({ cmd: "pubcomp", messageId: 7 });
    // PUBCOMP is in: the broker has sent all it will for this message
    expect(sent()).toBe(1);
    await until(() => got.length >= 1, 2000, "the message");
    expect(got).toHaveLength(1);
  });
});

describe("spec profile: takeover keeps the session", () => {
  it("a second connection with the same id and clean session 0 gets session present and the subscription", async () => {
    const b = await broker({ profile: "spec" });
    const first = await client(b, { clientId: "twin", clean: false });
    await first.subscribeAsync("tk", { qos: 1 });
    const second = await client(b, { clientId: "twin", clean: false });
    expect(sessionPresent(second)).toBe(true);
    const got = inbox(second);
    const pub = await client(b, { clientId: "tkpub" });
    await pub.publishAsync("tk", "after takeover", { qos: 1 });
    await until(() => got.length === 1, 3000, "the message on the kept subscription");
  });
});
