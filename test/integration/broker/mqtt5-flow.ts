import type { IPublishPacket, ISubscribePacket } from "mqtt-packet";
import mqttPacket from "mqtt-packet";
import { rawConnectMqtt } from "../../helpers/raw-client.js";
import { connect5, type Env, end, realSleep, uniqueId } from "./mqtt5-procedures.js";

/**
 * Receive Maximum, seen from a subscriber that decides when to acknowledge: a raw MQTT 5 socket (an MQTT.js client
 * acknowledges as soon as it has handled a message and handles one at a time, so it cannot hold messages
 * unacknowledged), with an MQTT.js 5 publisher.
 */
async function rawSubscriber(port: number, receiveMaximum: number | "3.1.1" | undefined, topic: string) {
  const v = receiveMaximum === "3.1.1" ? 4 : 5;
  const sub = await rawConnectMqtt(port, {
    clientId: uniqueId("mqdiag-rm"),
    protocolVersion: v,
    keepalive: 60,
    ...(typeof receiveMaximum === "number" ? { properties: { receiveMaximum } } : {}),
  });
  const subscribe: ISubscribePacket = { cmd: "subscribe", messageId: 1, subscriptions: [{ topic, qos: 1 }] };
  sub.send(mqttPacket.generate(subscribe, { protocolVersion: v }));
  await sub.waitForPackets(2, v);
  const publishes = () => sub.packets(v).filter((p): p is IPublishPacket => p.cmd === "publish");
  const ack = (p: IPublishPacket) =>
    sub.send(mqttPacket.generate({ cmd: "puback", messageId: p.messageId ?? 0 }, { protocolVersion: v }));
  return { sub, publishes, ack };
}

/** Publishes m0..m{n-1} at QoS 1, one after another; returns Date.now() as the first PUBLISH went. */
async function publishAll(env: Env, topic: string, n: number): Promise<number> {
  const pub = await connect5(env, {});
  const firstAt = Date.now();
  for (let i = 0; i < n; i++) await pub.publishAsync(topic, `m${i}`, { qos: 1 });
  await end(pub);
  return firstAt;
}

/**
 * `n` QoS 1 messages published at once to a subscriber with Receive Maximum `rm` that acknowledges nothing; then it
 * acknowledges the oldest one at a time, `stepMs` (real) apart: how many have arrived before the first ack and after
 * each ack, and the payloads in arrival order.
 */
export async function arrivalsPerAck(
  env: Env,
  port: number,
  /** undefined: no Receive Maximum in CONNECT (65,535); "3.1.1": a 3.1.1 subscriber. */
  rm: number | "3.1.1" | undefined,
  n: number,
  stepMs = 100,
  maxAcks = n,
) {
  const topic = `mqdiag/rm/${uniqueId("t")}`;
  const { sub, publishes, ack } = await rawSubscriber(port, rm, topic);
  try {
    await publishAll(env, topic, n);
    // windows, not events: how many PUBLISHes a real broker (mosquitto, NanoMQ, side by side) lets out per ack is
    // what is measured, and it says nothing when it is done
    await realSleep(stepMs * 2);
    const counts = [publishes().length];
    for (let k = 0; k < maxAcks; k++) {
      const p = publishes()[k];
      if (!p) break;
      ack(p);
      await realSleep(stepMs);
      counts.push(publishes().length);
    }
    return { counts, order: publishes().map((p) => p.payload.toString()) };
  } finally {
    sub.destroy();
  }
}

/**
 * `n` QoS 1 messages to a subscriber with Receive Maximum `rm` that acknowledges each at once: when each arrives
 * (real ms after the publisher is done, and after its first PUBLISH went: no message reached the broker before
 * that, so an age the broker counts from its receipt is never more than `sincePublishMs`) and with what DUP flag,
 * over `windowMs`.
 */
export async function arrivalsAcked(env: Env, port: number, rm: number, n: number, windowMs: number) {
  const topic = `mqdiag/rm-acked/${uniqueId("t")}`;
  const { sub, publishes, ack } = await rawSubscriber(port, rm, topic);
  const seen: { payload: string; dup: boolean; atMs: number; sincePublishMs: number }[] = [];
  try {
    const firstAt = await publishAll(env, topic, n);
    const start = Date.now();
    while (Date.now() - start < windowMs) {
      for (const p of publishes().slice(seen.length)) {
        const now = Date.now();
        seen.push({
          payload: p.payload.toString(),
          dup: p.dup,
          atMs: now - start,
          sincePublishMs: now - firstAt,
        });
        ack(p);
      }
      await realSleep(5);
    }
    return seen;
  } finally {
    sub.destroy();
  }
}
