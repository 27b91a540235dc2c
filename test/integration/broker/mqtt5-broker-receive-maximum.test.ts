import mqttPacket, { type IConnackPacket, type Packet } from "mqtt-packet";
import { afterEach, describe, expect, it } from "vitest";
import { type RawClient, rawConnectMqtt } from "../../helpers/raw-client.js";
import { broker, sentTo } from "./helpers.js";
import { collect, connect5, type Env, endAll, realSleep, settle } from "./mqtt5-procedures.js";

/**
 * (5.0) The broker's own Receive Maximum (`mqdiag broker --profile spec --receive-maximum <n>`, §3.2.2.3.3): the
 * CONNACK says it, and a client that sends one more QoS 1/2 PUBLISH while that many of its QoS 2 publications still
 * wait for their PUBREL is disconnected with 0x93 (§3.3.4, §4.9). Driven on raw bytes, so nothing but the test
 * decides when a PUBREL goes.
 */
afterEach(endAll);

const RECEIVE_MAXIMUM_EXCEEDED = 0x93;
const opened: RawClient[] = [];
afterEach(() => {
  for (const c of opened.splice(0)) c.destroy();
});

async function v5(port: number, clientId: string, version: 4 | 5 = 5): Promise<RawClient> {
  const c = await rawConnectMqtt(port, { clientId, protocolVersion: version });
  opened.push(c);
  return c;
}

function publish(c: RawClient, qos: 0 | 1 | 2, messageId: number, payload: string, dup = false): void {
  c.send(
    mqttPacket.generate(
      { cmd: "publish", topic: "rm-in/t", payload, qos, messageId, dup, retain: false },
      { protocolVersion: 5 },
    ),
  );
}

function pubrel(c: RawClient, messageId: number): void {
  c.send(mqttPacket.generate({ cmd: "pubrel", messageId }, { protocolVersion: 5 }));
}

/** The packets after the CONNACK, once `count` of them have arrived. */
async function afterConnack(c: RawClient, count: number, version: 4 | 5 = 5): Promise<Packet[]> {
  return (await c.waitForPackets(count + 1, version)).slice(1);
}

const summary = (p: Packet) =>
  p.cmd === "disconnect"
    ? `disconnect ${p.reasonCode}`
    : "messageId" in p
      ? `${p.cmd} ${p.messageId}`
      : p.cmd;

describe("spec profile: the broker's Receive Maximum", () => {
  it("the CONNACK carries it", async () => {
    const b = await broker({ profile: "spec", receiveMaximum: 2 });
    const c = await v5(b.port, "rm-in-connack");
    const [connack] = c.packets(5) as IConnackPacket[];
    expect(connack?.properties?.receiveMaximum).toBe(2);
  });

  it("a third unreleased QoS 2 PUBLISH gets DISCONNECT 0x93 and the close; it is not forwarded", async () => {
    const b = await broker({ profile: "spec", receiveMaximum: 2 });
    const env: Env = { url: b.url, sleep: realSleep };
    const sub = await connect5(env, {});
    await sub.subscribeAsync("rm-in/#", { qos: 2 });
    const got = collect(sub);
    const sent = sentTo(b, sub.options.clientId ?? "");
    const c = await v5(b.port, "rm-in-three");
    publish(c, 2, 1, "a");
    publish(c, 2, 2, "b");
    publish(c, 2, 3, "c");
    expect((await afterConnack(c, 3)).map(summary)).toEqual([
      "pubrec 1",
      "pubrec 2",
      `disconnect ${RECEIVE_MAXIMUM_EXCEEDED}`,
    ]);
    expect((await c.waitForEnd(2000)).kind).toBe("fin");
    // the broker has handled all three PUBLISHes (it closed after the third): it forwarded two
    expect(sent()).toBe(2);
    await settle(() => got.length >= 2, 2000);
    expect(got.map((m) => m.payload)).toEqual(["a", "b"]);
  });

  it("a QoS 1 PUBLISH past the maximum is refused the same way", async () => {
    const b = await broker({ profile: "spec", receiveMaximum: 2 });
    const c = await v5(b.port, "rm-in-qos1");
    publish(c, 2, 1, "a");
    publish(c, 2, 2, "b");
    publish(c, 1, 3, "c");
    expect((await afterConnack(c, 3)).map(summary)).toEqual([
      "pubrec 1",
      "pubrec 2",
      `disconnect ${RECEIVE_MAXIMUM_EXCEEDED}`,
    ]);
  });

  it("a PUBREL frees its slot; QoS 0 and QoS 1 (acknowledged at once) never hold one", async () => {
    const b = await broker({ profile: "spec", receiveMaximum: 2 });
    const c = await v5(b.port, "rm-in-release");
    publish(c, 2, 1, "a");
    publish(c, 2, 2, "b");
    pubrel(c, 1);
    publish(c, 2, 3, "c");
    publish(c, 0, 0, "d");
    pubrel(c, 2);
    publish(c, 1, 4, "e");
    publish(c, 1, 5, "f");
    expect((await afterConnack(c, 7)).map(summary)).toEqual([
      "pubrec 1",
      "pubrec 2",
      "pubcomp 1",
      "pubrec 3",
      "pubcomp 2",
      "puback 4",
      "puback 5",
    ]);
    expect(c.ended().kind).toBe("open");
  });

  it("a QoS 2 PUBLISH re-sent with a packet id still unreleased is the same publication, not one more", async () => {
    const b = await broker({ profile: "spec", receiveMaximum: 2 });
    const c = await v5(b.port, "rm-in-dup");
    publish(c, 2, 1, "a");
    publish(c, 2, 2, "b");
    publish(c, 2, 2, "b", true);
    expect((await afterConnack(c, 3)).map(summary)).toEqual(["pubrec 1", "pubrec 2", "pubrec 2"]);
    expect(c.ended().kind).toBe("open");
  });

  it("an MQTT 3.1.1 client has no Receive Maximum: three unreleased QoS 2 PUBLISHes are all taken", async () => {
    const b = await broker({ profile: "spec", receiveMaximum: 2 });
    const c = await v5(b.port, "rm-in-v4", 4);
    for (const id of [1, 2, 3])
      c.send(
        mqttPacket.generate(
          {
            cmd: "publish",
            topic: "rm-in/t",
            payload: "x",
            qos: 2,
            messageId: id,
            dup: false,
            retain: false,
          },
          { protocolVersion: 4 },
        ),
      );
    expect((await afterConnack(c, 3, 4)).map(summary)).toEqual(["pubrec 1", "pubrec 2", "pubrec 3"]);
    expect(c.ended().kind).toBe("open");
  });

  it("MQTT.js 5 does not wait for the server's Receive Maximum: 3 QoS 2 publishes at once against 2 are disconnected with 0x93", async () => {
    const b = await broker({ profile: "spec", receiveMaximum: 2 });
    const c = await connect5({ url: b.url, sleep: realSleep }, { clientId: "rm-in-mqttjs" });
    const reasons: (number | undefined)[] = [];
    c.on("disconnect", (p) => reasons.push(p.reasonCode));
    for (const payload of ["a", "b", "c"]) c.publish("rm-in/t", payload, { qos: 2 }, () => {});
    await settle(() => reasons.length > 0, 3000);
    expect(reasons).toEqual([RECEIVE_MAXIMUM_EXCEEDED]);
  });

  it("without the option (65,535, not said) 100 unreleased QoS 2 PUBLISHes are all taken", async () => {
    const b = await broker({ profile: "spec" });
    const c = await v5(b.port, "rm-in-default");
    for (let id = 1; id <= 100; id++) publish(c, 2, id, "x");
    const packets = await afterConnack(c, 100);
    expect(packets.every((p) => p.cmd === "pubrec")).toBe(true);
    expect(c.ended().kind).toBe("open");
  });
});
