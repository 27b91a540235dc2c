import mqttPacket, { type IPublishPacket } from "mqtt-packet";
import { afterEach, describe, expect, it } from "vitest";
import { startBroker } from "../../../src/broker/index.js";
import type { Broker, BrokerLogLine, TraceEvent } from "../../../src/broker/types.js";
import { realClock } from "../../../src/core/clock.js";
import { embeddedTarget } from "../../../src/scenarios/embedded-target.js";
import { type RawClient, rawConnectMqtt } from "../../helpers/raw-client.js";
import { until } from "./helpers.js";

/**
 * A bug inside the embedded broker must never look like broker behaviour: the broker's own output is "which lines
 * the real broker prints". The bug is provoked through a fault hook (the hooks scenarios use) that throws while
 * the PINGREQ handler consults it.
 */
const PINGREQ = Buffer.from([0xc0, 0x00]);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function pingThrough(port: number, clientId: string): Promise<RawClient> {
  const client = await rawConnectMqtt(port, { clientId, keepalive: 60 });
  cleanups.push(() => client.destroy());
  client.send(PINGREQ);
  return client;
}

describe("an internal error in the embedded broker", () => {
  it.each(["nanomq", "mosquitto", "spec"] as const)(
    "%s: closes that connection with no log line, is traced with its message and counted",
    async (profile) => {
      const broker: Broker = await startBroker({ profile, clock: realClock(), host: "127.0.0.1", port: 0 });
      cleanups.push(() => broker.close());
      const lines: BrokerLogLine[] = [];
      const trace: TraceEvent[] = [];
      broker.on("log", (line) => lines.push(line));
      broker.on("trace", (event) => trace.push(event));
      broker.faults.withholdPingresp = () => {
        throw new Error("fault hook exploded");
      };
      const client = await pingThrough(broker.port, "victim");
      const end = await client.waitForEnd(5000);
      expect(end.kind).toBe("fin");
      expect(broker.stats().internalErrors).toBe(1);
      expect(trace).toContainEqual(
        expect.objectContaining({
          type: "internal-error",
          clientId: "victim",
          message: "fault hook exploded",
        }),
      );
      expect(trace).toContainEqual(expect.objectContaining({ type: "close", cause: "internal-error" }));
      // the connect lines before the bug and nothing after it: no recv error, rv, offline or close line
      expect(lines.filter((l) => l.signature !== "client-connected")).toEqual([]);
    },
  );

  it.each(["nanomq", "mosquitto", "spec"] as const)(
    "%s: publishes no will for the connection the bug closed (a dropped connection's will still goes)",
    async (profile) => {
      const broker: Broker = await startBroker({ profile, clock: realClock(), host: "127.0.0.1", port: 0 });
      cleanups.push(() => broker.close());
      const topic = "mqdiag/internal-error/will";
      const watcher = await rawConnectMqtt(broker.port, { clientId: "watcher", keepalive: 60 });
      cleanups.push(() => watcher.destroy());
      watcher.send(
        mqttPacket.generate({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic, qos: 0 }] }),
      );
      await watcher.waitForPackets(2); // CONNACK, SUBACK
      const will = { topic, payload: Buffer.from("will"), qos: 0 as const, retain: false };
      const closed = new Set<string>();
      broker.on("trace", (event) => {
        if (event.type === "close" && event.clientId !== null) closed.add(event.clientId);
      });
      /** Drops a client by `drop`; once the broker closed it, a marker: a will published at the close comes first. */
      const firstAfter = async (clientId: string, drop: (victim: RawClient) => void) => {
        const victim = await rawConnectMqtt(broker.port, { clientId, keepalive: 60, will });
        cleanups.push(() => victim.destroy());
        const before = watcher.packets().length;
        drop(victim);
        await until(() => closed.has(clientId));
        watcher.send(
          mqttPacket.generate({
            cmd: "publish",
            topic,
            payload: Buffer.from("marker"),
            qos: 0,
            dup: false,
            retain: false,
          }),
        );
        const [first] = (await watcher.waitForPackets(before + 1)).slice(before) as IPublishPacket[];
        return first?.payload.toString();
      };
      // the control: a connection that just drops has its will published [MQTT-3.1.2-8]
      expect(await firstAfter("dropped", (victim) => victim.destroy())).toBe("will");
      broker.faults.withholdPingresp = () => {
        throw new Error("fault hook exploded");
      };
      expect(await firstAfter("victim", (victim) => victim.send(PINGREQ))).toBe("marker");
      expect(broker.stats().internalErrors).toBe(1);
    },
  );

  it("fails the scenario run: the embedded target's close throws, naming the client and the message", async () => {
    const target = await embeddedTarget({
      profile: "nanomq",
      retryIntervalMs: 10_000,
      keepaliveMultiplier: 1.25,
      nanomqVersion: [0, 25, 3],
    })(realClock());
    const faults = target.faults;
    if (!faults) throw new Error("the embedded target has fault hooks");
    faults.withholdPingresp = () => {
      throw new Error("fault hook exploded");
    };
    const client = await pingThrough(target.endpoint.port, "scenario-victim");
    expect((await client.waitForEnd(5000)).kind).toBe("fin");
    await expect(target.close()).rejects.toThrow(
      /embedded broker failed on scenario-victim: fault hook exploded/,
    );
  });
});
