import mqtt, { type MqttClient } from "mqtt";
import { afterEach } from "vitest";
import { type Broker, type BrokerOptions, startBroker } from "../../../src/broker/index.js";
import { type Clock, mqttTimerVariant, scaledClock } from "../../../src/core/clock.js";
import { RawClient } from "../../../src/fleet/raw-client.js";
import { newRecord } from "../../../src/fleet/types.js";
import { type LinkSpec, type Relay, startRelay } from "../../../src/link/index.js";

/** Everything a test created, closed after each test even when an assertion failed (relays before brokers). */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export function clockAt(scale: number): Clock {
  return scaledClock(scale);
}

export async function broker(clock: Clock, options: BrokerOptions = {}): Promise<Broker> {
  const b = await startBroker({ port: 0, clock, ...options });
  cleanups.push(() => b.close());
  return b;
}

export async function relay(clock: Clock, b: Broker, link: LinkSpec): Promise<Relay> {
  const r = await startRelay({ clock, target: { host: b.host, port: b.port }, link });
  cleanups.push(() => r.stop());
  return r;
}

/** A raw MQTT client connected (CONNECT/CONNACK) through `target`. */
export async function rawClient(
  clock: Clock,
  target: { host: string; port: number },
  clientId: string,
  keepaliveS = 60,
): Promise<RawClient> {
  const c = new RawClient(clock, target, newRecord(clientId, "healthy", keepaliveS));
  cleanups.push(() => c.destroy());
  await c.open();
  if (!(await c.connect(keepaliveS, 10_000))) throw new Error(`no CONNACK for ${clientId}`);
  return c;
}

/** Polls `predicate` (real time) until true, or throws after timeoutMs real ms. */
export async function until(predicate: () => boolean, timeoutMs = 5_000, what = "condition"): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** One PINGREQ → PINGRESP round trip, clock ms. */
export async function pingRtt(clock: Clock, c: RawClient, timeoutMs = 10_000): Promise<number> {
  const sent = clock.now();
  c.send({ cmd: "pingreq" });
  const got = await c.waitFor("pingresp", timeoutMs);
  if (!got) throw new Error("no PINGRESP");
  return clock.now() - sent;
}

/** A connected MQTT.js client through `target`, on the clock, without reconnects. */
export async function mqttClient(
  clock: Clock,
  target: { host: string; port: number },
  clientId: string,
  keepaliveS = 60,
): Promise<MqttClient> {
  const c = mqtt.connect({
    host: target.host,
    port: target.port,
    clientId,
    keepalive: keepaliveS,
    reconnectPeriod: 0,
    timerVariant: mqttTimerVariant(clock),
  });
  cleanups.push(() => new Promise<void>((resolve) => c.end(true, {}, () => resolve())));
  await new Promise<void>((resolve, reject) => {
    c.once("connect", () => resolve());
    c.once("error", reject);
  });
  return c;
}
