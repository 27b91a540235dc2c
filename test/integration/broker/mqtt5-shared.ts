import mqttPacket from "mqtt-packet";
import { rawConnectMqtt } from "../../helpers/raw-client.js";
import { collect, connect5, type Env, end, settle, uniqueId } from "./mqtt5-procedures.js";

/**
 * Two members of `$share/g/<base>/#` (A subscribes first, then B) and a non-shared subscriber N of `<base>/#`, all
 * MQTT.js 5 clients; a retained message on `<base>/r` before they subscribe, then `n` QoS 1 messages: what each got
 * (payloads in order, "retained" for the retained one).
 */
export async function sharedGroup(env: Env, n: number) {
  const base = `mqdiag/shared/${uniqueId("t")}`;
  const pub = await connect5(env, {});
  await pub.publishAsync(`${base}/r`, "retained", { qos: 1, retain: true });
  const [a, b, plain] = [await connect5(env, {}), await connect5(env, {}), await connect5(env, {})];
  await a.subscribeAsync(`$share/g/${base}/#`, { qos: 1 });
  await b.subscribeAsync(`$share/g/${base}/#`, { qos: 1 });
  await plain.subscribeAsync(`${base}/#`, { qos: 1 });
  const [gotA, gotB, gotPlain] = [collect(a), collect(b), collect(plain)];
  const published = (got: typeof gotA) => got.filter((m) => m.payload !== "retained").length;
  // One message at a time, the next once the last was delivered: real NanoMQ's member counter is one unlocked
  // static (mqtt_db.c `acnt`, read and incremented by whichever worker thread routes a message, after the PUBACK
  // went out), so two messages routed at once may read the same count and go to the same member — seen once in
  // CI as A = m0, m3, m5. Paced, each routing ends before the next starts, as on a broker with one publisher.
  for (let i = 0; i < n; i++) {
    await pub.publishAsync(`${base}/t`, `m${i}`, { qos: 1 });
    await settle(() => published(gotA) + published(gotB) >= i + 1 && published(gotPlain) >= i + 1, 1000);
  }
  const payloads = (got: typeof gotA) => got.map((m) => m.payload);
  const seen = { a: payloads(gotA), b: payloads(gotB), plain: payloads(gotPlain) };
  for (const c of [a, b, plain]) await end(c);
  await pub.publishAsync(`${base}/r`, "", { qos: 1, retain: true });
  await end(pub);
  return seen;
}

/** A raw MQTT 5 client subscribes to `filter`: what comes back (SUBACK codes or DISCONNECT reason), and if it closed. */
export async function subscribeReaction(port: number, filter: string, waitMs = 300, noLocal = false) {
  const c = await rawConnectMqtt(port, { clientId: uniqueId("mqdiag-share"), protocolVersion: 5 });
  try {
    c.send(
      mqttPacket.generate(
        { cmd: "subscribe", messageId: 2, subscriptions: [{ topic: filter, qos: 0, nl: noLocal }] },
        { protocolVersion: 5 },
      ),
    );
    const closed = (await c.waitForEnd(waitMs)).kind !== "open";
    const replies = c
      .packets(5)
      .slice(1)
      .map((p) =>
        p.cmd === "suback"
          ? `suback ${p.granted.join(",")}`
          : p.cmd === "disconnect"
            ? `disconnect ${p.reasonCode}`
            : p.cmd,
      );
    return { replies, closed };
  } finally {
    c.destroy();
  }
}
