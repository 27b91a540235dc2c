import mqttPacket, { type IPublishPacket } from "mqtt-packet";
import { rawConnectMqtt } from "../../helpers/raw-client.js";
import { collect, connect5, type Env, end, realSleep, settle, uniqueId } from "./mqtt5-procedures.js";

const v5 = { protocolVersion: 5 } as const;

/**
 * A raw MQTT 5 client publishes QoS 0 with topic alias `alias` (and `topic`, "" = use the alias alone): the bytes the
 * broker answers after CONNACK (hex), and whether it closed the connection within `waitMs`.
 */
export async function aliasReaction(port: number, alias: number, topic: string, waitMs = 300) {
  const c = await rawConnectMqtt(port, { clientId: uniqueId("mqdiag-alias"), protocolVersion: 5 });
  try {
    const connackBytes = c.received().length;
    const publish = { cmd: "publish", topic, payload: "p", qos: 0, retain: false, dup: false } as const;
    c.send(mqttPacket.generate({ ...publish, properties: { topicAlias: alias } }, v5));
    const end = await c.waitForEnd(waitMs);
    return { reply: c.received().subarray(connackBytes).toString("hex"), closed: end.kind !== "open" };
  } finally {
    c.destroy();
  }
}

/** An MQTT.js 5 publisher that assigns topic aliases itself (as far as the broker's CONNACK allows): what arrives. */
export async function publishWithAliases(env: Env) {
  const topic = `mqdiag/alias/${uniqueId("t")}`;
  const sub = await connect5(env, {});
  await sub.subscribeAsync(topic, { qos: 1 });
  const pub = await connect5(env, { autoAssignTopicAlias: true });
  for (let i = 0; i < 3; i++) await pub.publishAsync(topic, `m${i}`, { qos: 1 });
  const got = collect(sub);
  await settle(() => got.length >= 3, 1000);
  await end(pub);
  await end(sub);
  return got.map((m) => ({ topic: m.topic === topic ? "same" : m.topic, payload: m.payload }));
}

/**
 * A raw MQTT 5 subscriber that allows `max` aliases (CONNECT Topic Alias Maximum) gets topics a, b, c, a, b, c: for
 * each PUBLISH on the wire, its topic ("" = alias only) and alias.
 */
export async function aliasesTowardsClient(env: Env, port: number, max: number) {
  const base = `mqdiag/alias-out/${uniqueId("t")}`;
  const sub = await rawConnectMqtt(port, {
    clientId: uniqueId("mqdiag-alias-sub"),
    protocolVersion: 5,
    properties: { topicAliasMaximum: max },
  });
  try {
    sub.send(
      mqttPacket.generate(
        { cmd: "subscribe", messageId: 1, subscriptions: [{ topic: `${base}/+`, qos: 0 }] },
        v5,
      ),
    );
    await sub.waitForPackets(2, 5);
    const pub = await connect5(env, {});
    for (const t of ["a", "b", "c", "a", "b", "c"]) await pub.publishAsync(`${base}/${t}`, t, { qos: 0 });
    await end(pub);
    await sub.waitForPackets(8, 5, 2000).catch(() => undefined);
    // 50 ms in which an extra copy would show: a window, as the real brokers this runs on say nothing when done
    await realSleep(50);
    return sub
      .packets(5)
      .filter((p): p is IPublishPacket => p.cmd === "publish")
      .map((p) => ({
        topic: p.topic === "" ? "" : p.topic.slice(base.length + 1),
        alias: p.properties?.topicAlias,
        payload: p.payload.toString(),
      }));
  } finally {
    sub.destroy();
  }
}
