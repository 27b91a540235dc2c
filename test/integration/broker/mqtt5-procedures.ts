import mqtt, { type IClientOptions, type IConnackPacket, type MqttClient } from "mqtt";
import { type Clock, type ManualClock, mqttTimerVariant } from "../../../src/core/clock.js";

/**
 * The MQTT 5 procedures run the same way against the embedded broker and a real one (MQTT.js clients, protocol 5),
 * so a side-by-side test compares like with like. `sleep` is the broker's clock for an embedded broker on a scaled
 * clock, real time otherwise; `clientOptions` carries a scaled clock's timerVariant.
 */
export interface Env {
  url: string;
  sleep: (ms: number) => Promise<void>;
  clientOptions?: IClientOptions;
}

/** The Env of an embedded broker on `clock` (a scaled one): its sleep, and MQTT.js timers on it. */
export function clockEnv(url: string, clock: Clock): Env {
  return { url, sleep: (ms) => clock.sleep(ms), clientOptions: { timerVariant: mqttTimerVariant(clock) } };
}

/** The Env of an embedded broker on a manual clock: `sleep` moves it at once, running every timer due. */
export function manualEnv(url: string, clock: ManualClock): Env {
  return {
    url,
    sleep: async (ms) => clock.advance(ms),
    clientOptions: { timerVariant: mqttTimerVariant(clock) },
  };
}

export interface Received {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
  dup: boolean;
  expiryS: number | undefined;
  topicAlias: number | undefined;
  /** (5.0) the Subscription Identifiers the copy carried, in order ([] for none). */
  subscriptionIds: number[];
}

const open = new Set<MqttClient>();
const inboxes = new WeakMap<MqttClient, Received[]>();
const connacks = new WeakMap<MqttClient, IConnackPacket>();

/** The CONNACK a client got. */
export function connackOf(c: MqttClient): IConnackPacket | undefined {
  return connacks.get(c);
}

/** A connected MQTT.js 5 client; rejects on a connect error. */
export function connect5(env: Env, options: IClientOptions = {}): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(env.url, {
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      protocolVersion: 5,
      ...env.clientOptions,
      ...options,
    });
    open.add(c);
    // attached before CONNACK: a resumed session's messages may come in the same read as the CONNACK
    inboxes.set(c, listen(c));
    c.once("connect", (connack) => {
      connacks.set(c, connack);
      resolve(c);
    });
    c.once("error", (err) => {
      c.end(true);
      reject(err);
    });
  });
}

/** Ends every client the procedures opened (afterEach / afterAll). */
export async function endAll(): Promise<void> {
  const all = [...open];
  open.clear();
  await Promise.all(all.map((c) => new Promise<void>((resolve) => c.end(true, {}, () => resolve()))));
}

/** What a client has received since it connected (and will receive). */
export function collect(c: MqttClient): Received[] {
  return inboxes.get(c) ?? [];
}

function listen(c: MqttClient): Received[] {
  const got: Received[] = [];
  c.on("message", (topic, payload, packet) =>
    got.push({
      topic,
      payload: payload.toString(),
      qos: packet.qos,
      retain: packet.retain,
      dup: packet.dup,
      expiryS: packet.properties?.messageExpiryInterval,
      topicAlias: packet.properties?.topicAlias,
      subscriptionIds: [packet.properties?.subscriptionIdentifier ?? []].flat(),
    }),
  );
  return got;
}

export const uniqueId = (prefix: string) =>
  `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

export const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls (real time) until `predicate`, or gives up after `timeoutMs` without failing. */
export async function settle(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate() && Date.now() < deadline) await realSleep(10);
}

/** Ends a client cleanly (DISCONNECT). */
export function end(c: MqttClient): Promise<void> {
  open.delete(c);
  return new Promise((resolve) => c.end(false, {}, () => resolve()));
}

/** Drops a persistent session (clean start, expiry 0) so the next run starts afresh. */
export async function dropSession(env: Env, clientId: string): Promise<void> {
  await end(await connect5(env, { clientId, clean: true }));
}

/**
 * Starts a procedure now and lets a test await it later (several slow procedures overlap their waits in
 * beforeAll); a failure is rethrown where it is awaited, never left unhandled.
 */
export function started<T>(run: () => Promise<T>): () => Promise<T> {
  const result = run().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return async () => {
    const r = await result;
    if (!r.ok) throw r.error;
    return r.value;
  };
}
