import net from "node:net";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { afterEach } from "vitest";
import { type Broker, type BrokerOptions, startBroker } from "../../../src/broker/index.js";
import { mqttTimerVariant } from "../../../src/core/clock.js";
import { connectBytes as connectPacketBytes } from "../../helpers/raw-client.js";

/** Everything a test created, closed after each test even when an assertion failed. */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function broker(options: BrokerOptions = {}): Promise<Broker> {
  const b = await startBroker({ port: 0, ...options });
  cleanups.push(() => b.close());
  return b;
}

/** A connected MQTT.js client on the broker's clock; rejects on a connect error. */
export async function client(b: Broker, options: IClientOptions = {}): Promise<MqttClient> {
  const c = mqtt.connect(b.url, {
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    // MQTT.js types `set` as returning a number; it only hands the value back to `clear`.
    timerVariant: mqttTimerVariant(b.clock),
    ...options,
  });
  cleanups.push(() => new Promise<void>((resolve) => c.end(true, {}, () => resolve())));
  await new Promise<void>((resolve, reject) => {
    c.once("connect", () => resolve());
    c.once("error", reject);
  });
  return c;
}

/** Collects the messages a client receives. */
export function inbox(c: MqttClient): { topic: string; payload: string; qos: number; retain: boolean }[] {
  const got: { topic: string; payload: string; qos: number; retain: boolean }[] = [];
  c.on("message", (topic, payload, packet) =>
    got.push({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain }),
  );
  return got;
}

/**
 * How many packets of kind `cmd` the broker has sent to `clientId` so far, from its trace (call before the client
 * connects). The embedded broker sends synchronously while it handles a packet, so once a client has the answer to
 * its own last packet (a SUBACK, a PUBCOMP), this count holds everything that packet made the broker send: a test
 * waits until the client got that many and then asserts on them, instead of sleeping to see that no more come.
 */
export function sentTo(b: Broker, clientId: string, cmd = "publish"): () => number {
  let n = 0;
  b.on("trace", (e) => {
    if (e.type === "packet-out" && e.clientId === clientId && e.packet === cmd) n++;
  });
  return () => n;
}

/** Polls `predicate` (real time) until true, or throws after timeoutMs. */
export async function until(predicate: () => boolean, timeoutMs = 5_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A raw TCP socket to the broker, collecting every byte it receives and noting how it closed. */
export interface RawSocket {
  socket: net.Socket;
  received(): Buffer;
  closed: Promise<"fin" | "reset">;
  isClosed(): boolean;
}

export async function raw(b: Broker): Promise<RawSocket> {
  const socket = net.connect(b.port, b.host);
  cleanups.push(() => {
    socket.destroy();
  });
  const chunks: Buffer[] = [];
  let done = false;
  socket.on("data", (d: Buffer) => chunks.push(d));
  const closed = new Promise<"fin" | "reset">((resolve) => {
    let how: "fin" | "reset" = "fin";
    socket.on("error", () => {
      how = "reset";
    });
    socket.on("close", () => {
      done = true;
      resolve(how);
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  return { socket, received: () => Buffer.concat(chunks), closed, isClosed: () => done };
}

/** A 3.1.1 CONNECT for `clientId`, clean session, keepalive in seconds. */
export function connectBytes(clientId: string, keepaliveS = 60): Buffer {
  return connectPacketBytes({ clientId, keepalive: keepaliveS });
}

/** Messages (the part after the dialect's prefix) of the broker's lines so far. */
export function signaturesOf(b: Broker): (string | null)[] {
  return b.logLines().map((l) => l.signature);
}
