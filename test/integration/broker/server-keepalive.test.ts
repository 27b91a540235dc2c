import type { IConnackPacket, IDisconnectPacket } from "mqtt-packet";
import { describe, expect, it } from "vitest";
import type { Broker, TraceEvent } from "../../../src/broker/index.js";
import { scaledClock } from "../../../src/core/clock.js";
import type { ServerKeepalive } from "../../../src/core/profile.js";
import { rawConnectMqtt } from "../../helpers/raw-client.js";
import { broker, client } from "./helpers.js";

/**
 * `--server-keepalive` on the spec profile: every MQTT 5 client is told the broker's keepalive in its CONNACK and
 * watched with it ([MQTT-3.1.2-21]); 3.1.1 clients keep theirs. ×4 clock; times from the broker's trace (clock
 * ms), tolerances 125 real ms (500 clock ms): at ×10 a loaded machine's 50 ms was once not enough.
 */
const SCALE = 4;
const IMPOSED_S = 2;

/** The spec profile with a Server Keep Alive rule on the ×SCALE clock, and its trace as it grows. */
async function specWith(rule: ServerKeepalive): Promise<{ b: Broker; trace: TraceEvent[] }> {
  const b = await broker({ profile: "spec", clock: scaledClock(SCALE), serverKeepalive: rule });
  const trace: TraceEvent[] = [];
  b.on("trace", (e) => trace.push(e));
  return { b, trace };
}
const imposing = () => specWith({ rule: "impose", seconds: IMPOSED_S });

describe("Server Keep Alive on the embedded spec profile", () => {
  it("MQTT.js 5 asking 60 s adopts 2 s: it pings every 2 s and is never kicked", async () => {
    const { b, trace } = await imposing();
    const c = await client(b, { protocolVersion: 5, keepalive: 60, clientId: "mqttjs-told-2" });
    await b.clock.sleep(9_000);
    const pings = trace.filter((e) => e.type === "packet-in" && e.packet === "pingreq").map((e) => e.at);
    expect(pings.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < pings.length; i++) {
      expect((pings[i] ?? 0) - (pings[i - 1] ?? 0)).toBeGreaterThanOrEqual(IMPOSED_S * 1000 - 500);
      expect((pings[i] ?? 0) - (pings[i - 1] ?? 0)).toBeLessThanOrEqual(IMPOSED_S * 1000 + 500);
    }
    expect(trace.some((e) => e.type === "kick")).toBe(false);
    expect(c.connected).toBe(true);
  });

  it("a silent MQTT 5 client asking 60 s is kicked 1.5 × 2 s after CONNECT with DISCONNECT 0x8D", async () => {
    const { b, trace } = await imposing();
    const c = await rawConnectMqtt(b.port, { clientId: "silent-told-2", keepalive: 60, protocolVersion: 5 });
    const [connack] = (await c.waitForPackets(1, 5)) as IConnackPacket[];
    expect(connack?.properties?.serverKeepAlive).toBe(IMPOSED_S);
    await c.waitForEnd(5_000);
    const [, disconnect] = c.packets(5) as [IConnackPacket, IDisconnectPacket];
    c.destroy();
    expect(disconnect?.reasonCode).toBe(0x8d);
    const connectAt = trace.find((e) => e.type === "connect")?.at ?? 0;
    const kickAt = trace.find((e) => e.type === "kick")?.at ?? 0;
    expect(kickAt - connectAt).toBeGreaterThanOrEqual(1.5 * IMPOSED_S * 1000);
    expect(kickAt - connectAt).toBeLessThanOrEqual(1.5 * IMPOSED_S * 1000 + 500);
    expect(b.logLines().some((l) => l.signature === "keepalive-timeout")).toBe(true);
  });

  it("imposing is not capping: a silent client asking 1 s is told 2 s, so it is kept past 1.5 s and kicked at 3 s", async () => {
    const { b, trace } = await imposing();
    const c = await rawConnectMqtt(b.port, { clientId: "asked-1-told-2", keepalive: 1, protocolVersion: 5 });
    const [connack] = (await c.waitForPackets(1, 5)) as IConnackPacket[];
    expect(connack?.properties?.serverKeepAlive).toBe(IMPOSED_S);
    await c.waitForEnd(5_000);
    c.destroy();
    const connectAt = trace.find((e) => e.type === "connect")?.at ?? 0;
    const kickAt = trace.find((e) => e.type === "kick")?.at ?? 0;
    expect(kickAt - connectAt).toBeGreaterThanOrEqual(1.5 * IMPOSED_S * 1000);
    expect(kickAt - connectAt).toBeLessThanOrEqual(1.5 * IMPOSED_S * 1000 + 500);
  });

  it("the kick at the told keepalive publishes the client's will, with its user properties", async () => {
    const { b, trace } = await imposing();
    const watcher = await client(b, { protocolVersion: 5, clientId: "will-watcher" });
    const wills: { at: number; props: unknown }[] = [];
    watcher.on("message", (_t, _p, packet) =>
      wills.push({ at: b.clock.now(), props: packet.properties?.userProperties }),
    );
    await watcher.subscribeAsync("wills/told", { qos: 1 });
    const c = await rawConnectMqtt(b.port, {
      clientId: "silent-with-will",
      keepalive: 60,
      protocolVersion: 5,
      will: {
        topic: "wills/told",
        payload: Buffer.from("kicked"),
        qos: 1,
        retain: false,
        properties: { userProperties: { a: "2", c: "3" } },
      },
    });
    await c.waitForEnd(5_000);
    c.destroy();
    await b.clock.sleep(500);
    const kickAt = trace.find((e) => e.type === "kick")?.at ?? 0;
    expect(wills).toHaveLength(1);
    expect(wills[0]?.props).toEqual({ a: "2", c: "3" });
    expect((wills[0]?.at ?? 0) - kickAt).toBeLessThan(500);
  });

  it("an MQTT 3.1.1 client keeps its own keepalive: no property, not kicked at 3 s", async () => {
    const { b } = await imposing();
    const c = await rawConnectMqtt(b.port, { clientId: "v4-keeps-10", keepalive: 10 });
    expect((await c.waitForEnd(2_500)).kind).toBe("open"); // 10 clock s: past 1.5 × 2 s, short of 1.5 × 10 s
    c.destroy();
  });
});

describe("a cap on the embedded spec profile (--max-keepalive), as the Paho MQTT 5 suite's own broker has it", () => {
  const CAP_S = 2;
  const capping = () => specWith({ rule: "cap", seconds: CAP_S });

  it("a client asking more is told the cap; one asking less keeps its own, with no Server Keep Alive, and is kicked on it", async () => {
    const { b, trace } = await capping();
    const more = await rawConnectMqtt(b.port, { clientId: "asked-60", keepalive: 60, protocolVersion: 5 });
    const less = await rawConnectMqtt(b.port, { clientId: "asked-1", keepalive: 1, protocolVersion: 5 });
    const [moreAck] = (await more.waitForPackets(1, 5)) as IConnackPacket[];
    const [lessAck] = (await less.waitForPackets(1, 5)) as IConnackPacket[];
    expect(moreAck?.properties?.serverKeepAlive).toBe(CAP_S);
    expect(lessAck?.properties?.serverKeepAlive).toBeUndefined();
    await Promise.all([more.waitForEnd(5_000), less.waitForEnd(5_000)]);
    more.destroy();
    less.destroy();
    const kickedAfter = (id: string) => {
      const connectAt = trace.find((e) => e.type === "connect" && e.clientId === id)?.at ?? 0;
      return (trace.find((e) => e.type === "kick" && e.clientId === id)?.at ?? 0) - connectAt;
    };
    expect(kickedAfter("asked-1")).toBeGreaterThanOrEqual(1_500);
    expect(kickedAfter("asked-1")).toBeLessThanOrEqual(1_500 + 500);
    expect(kickedAfter("asked-60")).toBeGreaterThanOrEqual(1.5 * CAP_S * 1000);
    expect(kickedAfter("asked-60")).toBeLessThanOrEqual(1.5 * CAP_S * 1000 + 500);
  });
});
