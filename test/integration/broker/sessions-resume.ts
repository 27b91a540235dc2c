import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import mqttPacket, { type IPublishPacket, type Packet } from "mqtt-packet";
import { rawConnectMqtt } from "../../helpers/raw-client.js";

/** What one resume saw: the payloads delivered after the reconnect (in order), and how many came with DUP. */
export interface ResumeResult {
  published: number;
  sessionPresent: boolean;
  /** Payload indexes in arrival order ("0".."n-1"). */
  order: number[];
  delivered: number;
  lost: number;
  duplicated: number;
  dupFlags: number;
  /** Real ms from the resumed CONNECT being sent to each arrival. */
  arrivalsMs: number[];
}

export interface ResumeOptions {
  n: number;
  qos: 0 | 1 | 2;
  /** Real ms to wait for deliveries after the resumed CONNACK. */
  waitMs: number;
  protocolVersion?: 4 | 5;
  /** Extra options for every client (e.g. a scaled clock's timerVariant). */
  clientOptions?: IClientOptions;
  clientId?: string;
  /** How the subscriber leaves: DISCONNECT (default) or its connection dropped without one (the bench). */
  leave?: "disconnect" | "drop";
  /** v5 session expiry interval (s) of the subscriber; default 300. */
  sessionExpiryS?: number;
}

function connect(url: string, options: IClientOptions): Promise<{ c: MqttClient; sessionPresent: boolean }> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5_000, ...options });
    c.once("connect", (connack) => resolve({ c, sessionPresent: connack.sessionPresent }));
    c.once("error", (err) => {
      c.end(true);
      reject(err);
    });
  });
}

const end = (c: MqttClient): Promise<void> => new Promise((resolve) => c.end(false, {}, () => resolve()));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The resume every broker is measured with: a subscriber with clean session off subscribes at `qos`, disconnects
 * (DISCONNECT); a publisher sends `n` messages at `qos` (each acknowledged); the subscriber reconnects with the same
 * id and clean session off, and what arrives within `waitMs` is counted. Real time throughout (real brokers).
 */
export async function measureResume(url: string, o: ResumeOptions): Promise<ResumeResult> {
  const clientId = o.clientId ?? `mqdiag-resume-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const topic = `mqdiag/resume/${clientId}`;
  const v = o.protocolVersion ?? 4;
  const persistent: IClientOptions = {
    ...o.clientOptions,
    clientId,
    clean: false,
    protocolVersion: v,
    ...(v === 5 ? { properties: { sessionExpiryInterval: o.sessionExpiryS ?? 300 } } : {}),
  };
  const first = await connect(url, persistent);
  await first.c.subscribeAsync(topic, { qos: o.qos });
  if (o.leave === "drop") {
    first.c.stream.destroy();
    first.c.end(true);
    // a real broker (what the bench measures) tells nobody when it has seen a dropped connection: time for that,
    // so that the messages below find the session offline and not on the dead connection
    await sleep(200);
  } else await end(first.c);
  const pub = await connect(url, { ...o.clientOptions, protocolVersion: v, clean: true });
  for (let i = 0; i < o.n; i++) await pub.c.publishAsync(topic, String(i), { qos: o.qos });
  await end(pub.c);
  const order: number[] = [];
  let dupFlags = 0;
  const arrivalsMs: number[] = [];
  const startedAt = Date.now();
  const second = await new Promise<{ c: MqttClient; sessionPresent: boolean }>((resolve, reject) => {
    const c = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5_000, ...persistent });
    c.on("message", (_t, payload, packet) => {
      order.push(Number(payload.toString()));
      arrivalsMs.push(Date.now() - startedAt);
      if (packet.dup) dupFlags++;
    });
    c.once("connect", (connack) => resolve({ c, sessionPresent: connack.sessionPresent }));
    c.once("error", reject);
  });
  // a window, not a wait for an event: what a broker re-sends within it is the measurement (NanoMQ drips one
  // message per tick, mosquitto sends at once), and nothing tells when a real broker has sent its last one
  await sleep(o.waitMs);
  // a clean end: the next run's id is fresh, and this session is dropped with a clean connect
  await end(second.c);
  const cleanup = await connect(url, { ...o.clientOptions, clientId, clean: true, protocolVersion: v });
  await end(cleanup.c);
  const distinct = new Set(order);
  return {
    published: o.n,
    sessionPresent: second.sessionPresent,
    order,
    delivered: distinct.size,
    lost: o.n - distinct.size,
    duplicated: order.length - distinct.size,
    dupFlags,
    arrivalsMs,
  };
}

/** A re-sent packet as the tests compare it. */
export type Again =
  | { cmd: "publish"; dup: boolean; qos: number; payload: string; sameId: boolean }
  | { cmd: Exclude<Packet["cmd"], "publish"> };

/**
 * A subscriber with clean session off gets one QoS `qos` PUBLISH, drops its connection without PUBACK / PUBREC
 * and comes back with the same id and clean session off: what it gets again [MQTT-4.4.0-1] (3.1.1). Returns the
 * client and the first PUBLISH's packet id; `shape` reads a packet as the tests compare it.
 */
async function unackedAndBack(port: number, url: string, qos: 1 | 2) {
  const id = `mqdiag-unacked-${qos}-${Math.random().toString(36).slice(2, 8)}`;
  const sub = await rawConnectMqtt(port, { clientId: id, clean: false, keepalive: 60 });
  sub.send(mqttPacket.generate({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: id, qos }] }));
  await sub.waitForPackets(2);
  const pub = mqtt.connect(url, { reconnectPeriod: 0 });
  await new Promise((r) => pub.once("connect", r));
  await pub.publishAsync(id, "once", { qos });
  pub.end(true);
  const first = (await sub.waitForPackets(3))[2] as IPublishPacket;
  sub.destroy(); // no PUBACK / PUBREC
  const again = await rawConnectMqtt(port, { clientId: id, clean: false, keepalive: 60 });
  const shape = (p: Packet): Again =>
    p.cmd === "publish"
      ? {
          cmd: p.cmd,
          dup: p.dup,
          qos: p.qos,
          payload: p.payload.toString(),
          sameId: p.messageId === first.messageId,
        }
      : { cmd: p.cmd };
  return { again, shape };
}

/** What comes again within `waitMs` of the reconnect (a broker that re-sends at once: mosquitto). */
export async function unackedAgain(port: number, url: string, qos: 1 | 2, waitMs: number): Promise<Again[]> {
  const { again, shape } = await unackedAndBack(port, url, qos);
  // a window: what comes within it is the measurement (a real broker says nothing when it is done re-sending)
  await new Promise((r) => setTimeout(r, waitMs));
  // a held event loop runs a due timer before it reads what came meanwhile: read it first
  await new Promise((r) => setImmediate(r));
  const packets = again.packets().slice(1);
  again.destroy();
  return packets.map(shape);
}

/**
 * The first `count` packets that come again, each with the real ms from the reconnect's TCP connect to its read
 * (a broker that re-sends on a timer: NanoMQ's pipe tick). Waits for them, up to `timeoutMs` each; a read can only
 * come late (a held test process), never early.
 */
export async function unackedResends(
  port: number,
  url: string,
  qos: 1 | 2,
  count: number,
  timeoutMs = 5_000,
): Promise<{ packets: Again[]; atMs: number[] }> {
  const { again, shape } = await unackedAndBack(port, url, qos);
  const atMs: number[] = [];
  try {
    while (atMs.length < count) {
      await again.waitForPackets(2 + atMs.length, 4, timeoutMs);
      const now = performance.now() - again.connectedAt;
      while (atMs.length < Math.min(count, again.packets().length - 1)) atMs.push(now);
    }
  } catch {
    // fewer than `count` came: the caller sees how many
  } finally {
    again.destroy();
  }
  return {
    packets: again
      .packets()
      .slice(1, 1 + count)
      .map(shape),
    atMs,
  };
}
