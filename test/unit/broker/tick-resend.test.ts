import mqttPacket, { type IPublishPacket } from "mqtt-packet";
import { afterEach, describe, expect, it } from "vitest";
import { startBroker } from "../../../src/broker/index.js";
import type { Broker, TraceEvent } from "../../../src/broker/types.js";
import { manualClock } from "../../../src/core/clock.js";
import { type RawClient, rawConnectMqtt } from "../../helpers/raw-client.js";

const Q = 1000;

/**
 * A resumed session's unacknowledged PUBLISH on the nanomq profile (0.25.3), beside what the real 0.25.3 did
 * (test/integration/nanomq/sessions-real.test.ts, measured: reads at 1502–1659 ms, 2507–2659 ms, 3504–3654 ms after
 * the reconnect, Q = 1 s, 45 runs): it stays in the session cache until acknowledged, and the pipe's tick re-sends
 * it at each tick, with DUP and its packet id (src/broker/flow/tick-resend.ts). The profile once re-sent it at the
 * first tick only.
 */
describe("nanomq 0.25.3: an unacknowledged PUBLISH comes again at each tick until acknowledged", () => {
  let broker: Broker | undefined;
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await broker?.close();
    broker = undefined;
  });

  it.each([
    { acked: "never", at: [1500, 2500, 3500, 4500] },
    { acked: "after the second", at: [1500, 2500] },
  ])("acknowledged $acked: again at $at", async ({ acked, at }) => {
    const clock = manualClock();
    const b = await startBroker({
      port: 0,
      clock,
      profile: "nanomq",
      nanomqVersion: [0, 25, 3],
      retryIntervalMs: Q,
    });
    broker = b;
    const trace: TraceEvent[] = [];
    b.on("trace", (e) => trace.push(e));
    const connect = async (clientId: string, clean: boolean) => {
      const c = await rawConnectMqtt(b.port, { clientId, clean, keepalive: 0 });
      clients.push(c);
      return c;
    };
    const sub = await connect("r", false);
    sub.send(
      mqttPacket.generate({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "t", qos: 1 }] }),
    );
    await sub.waitForPackets(2);
    const pub = await connect("p", true);
    pub.send(
      mqttPacket.generate({
        cmd: "publish",
        topic: "t",
        payload: "m",
        qos: 1,
        messageId: 7,
        dup: false,
        retain: false,
      }),
    );
    const first = (await sub.waitForPackets(3))[2] as IPublishPacket;
    const closed = new Promise<void>((resolve) =>
      b.on("trace", (e) => e.type === "close" && e.clientId === "r" && resolve()),
    );
    sub.destroy(); // no PUBACK
    await closed;
    const back = await connect("r", false);
    const from = trace.length;
    clock.advanceTo(2500);
    await back.waitForPackets(3);
    if (acked !== "never") {
      back.send(mqttPacket.generate({ cmd: "puback", messageId: first.messageId }));
      await new Promise<void>((resolve) =>
        b.on("trace", (e) => e.type === "packet-in" && e.packet === "puback" && resolve()),
      );
    }
    clock.advanceTo(4600);
    const again = trace.slice(from).filter((e) => e.type === "packet-out" && e.packet === "publish");
    expect(again.map((e) => e.at)).toEqual(at);
    await back.waitForPackets(1 + at.length);
    expect(back.packets().slice(1)).toEqual(
      at.map(() => expect.objectContaining({ cmd: "publish", dup: true, messageId: first.messageId })),
    );
  });
});
