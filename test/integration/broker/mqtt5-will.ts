import { expect } from "vitest";
import { rawConnectMqtt } from "../../helpers/raw-client.js";
import { connackOf, connect5, dropSession, type Env, end, uniqueId } from "./mqtt5-procedures.js";

export interface WillCase {
  /** Will Delay Interval (s). */
  delayS: number;
  /** Session Expiry Interval (s) of the will's connection. */
  expiryS: number;
  /** Connect the will's client with clean start 1 (default 0). */
  cleanStart?: boolean;
  /** Reconnect with the same id this many clock ms after the drop: resuming the session, or with a clean start. */
  reconnect?: { afterMs: number; clean: boolean };
  /** Stay connected (silent) this many clock ms before the drop (default: drop right after CONNACK). */
  connectedMs?: number;
  /** MQTT 3.1.1 for the will's client (no Will Delay Interval, no Session Expiry Interval: clean session 0 keeps it). */
  v311?: boolean;
  /** A will without the Will Delay Interval property (a delay of 0 is sent as the property otherwise). */
  noDelayProperty?: boolean;
}

/**
 * An MQTT.js 5 client with a will (and a Will Delay Interval) loses its connection (socket dropped, no DISCONNECT);
 * a watcher subscribed to the will's topic: clock ms from the drop to the will's arrival, or null if none came
 * within `windowMs` (clock ms). `now` is the clock the times are read on (the broker's, or Date.now).
 */
export async function willArrival(env: Env, c: WillCase, windowMs: number, now: () => number = Date.now) {
  const clientId = uniqueId("mqdiag-will");
  const topic = `mqdiag/will/${clientId}`;
  const watcher = await connect5(env, {});
  await watcher.subscribeAsync(topic, { qos: 1 });
  let arrivedAt: number | null = null;
  watcher.on("message", () => {
    arrivedAt ??= now();
  });
  const options = {
    clientId,
    clean: c.cleanStart ?? false,
    ...(c.v311 ? { protocolVersion: 4 as const } : { properties: { sessionExpiryInterval: c.expiryS } }),
  };
  const willing = await connect5(env, {
    ...options,
    will: {
      topic,
      payload: Buffer.from("gone"),
      qos: 1,
      retain: false,
      ...(c.v311 || c.noDelayProperty ? {} : { properties: { willDelayInterval: c.delayS } }),
    },
  });
  if (c.connectedMs) await env.sleep(c.connectedMs);
  const droppedAt = now();
  willing.stream.destroy();
  willing.end(true);
  let back: Awaited<ReturnType<typeof connect5>> | undefined;
  if (c.reconnect) {
    await env.sleep(c.reconnect.afterMs);
    back = await connect5(env, { ...options, clean: c.reconnect.clean });
  }
  await env.sleep(windowMs - (c.reconnect?.afterMs ?? 0));
  if (back) await end(back);
  await end(watcher);
  return arrivedAt === null ? null : (arrivedAt as number) - droppedAt;
}

/** A will case compared side by side: where its will must arrive (ms after the drop), or null for no will. */
export interface WillWindowCase {
  name?: string;
  c: WillCase;
  window: [number, number] | null;
}

/** Each case's will arrived within its window on the real broker and on the profile, or on neither. */
export function expectWillWindows(
  cases: WillWindowCase[],
  onReal: (number | null)[],
  onProfile: (number | null)[],
): void {
  cases.forEach(({ name, c, window }, i) => {
    for (const [who, at] of [
      ["real", onReal[i]],
      ["profile", onProfile[i]],
    ] as const) {
      const label = `${name ?? JSON.stringify(c)} (${who}): ${at}`;
      if (window === null) expect(at, label).toBeNull();
      else {
        expect(at, label).not.toBeNull();
        expect(at ?? 0, label).toBeGreaterThanOrEqual(window[0]);
        expect(at ?? 0, label).toBeLessThanOrEqual(window[1]);
      }
    }
  });
}

/**
 * Whether a v5 session (clean start 0, this Session Expiry Interval, a will with this Will Delay Interval if given)
 * is still there `reconnectAfterMs` clock ms after its connection dropped (or ended with DISCONNECT): the CONNACK's
 * session present flag of a clean-start-0 reconnect.
 */
export async function sessionPresentAfter(
  env: Env,
  c: { expiryS: number; delayS?: number; disconnect?: boolean },
  reconnectAfterMs: number,
): Promise<boolean> {
  const clientId = uniqueId("mqdiag-kept");
  const options = { clientId, clean: false, properties: { sessionExpiryInterval: c.expiryS } };
  const first = await connect5(env, {
    ...options,
    ...(c.delayS === undefined
      ? {}
      : {
          will: {
            topic: `mqdiag/kept/${clientId}`,
            payload: Buffer.from("gone"),
            qos: 0 as const,
            retain: false,
            properties: { willDelayInterval: c.delayS },
          },
        }),
  });
  if (c.disconnect) await end(first);
  else {
    first.stream.destroy();
    first.end(true);
  }
  await env.sleep(reconnectAfterMs);
  const back = await connect5(env, options);
  const present = connackOf(back)?.sessionPresent ?? false;
  await end(back);
  await dropSession(env, clientId); // nothing of it stays for the next test
  return present;
}

/**
 * A v5 client (clean start 0, Session Expiry 60 s, a will with Will Delay 1 s, keepalive 1 s) that never sends
 * anything after CONNECT, on a raw socket (no library pings for it): clock ms from CONNACK to the broker's close of
 * it, and from that close to its will's arrival, or null if none came within `windowMs` after the close.
 */
export async function kickedWillArrival(
  env: Env,
  port: number,
  windowMs: number,
  now: () => number = Date.now,
) {
  const clientId = uniqueId("mqdiag-kicked");
  const topic = `mqdiag/will/${clientId}`;
  const watcher = await connect5(env, {});
  await watcher.subscribeAsync(topic, { qos: 1 });
  let arrivedAt: number | null = null;
  watcher.on("message", () => {
    arrivedAt ??= now();
  });
  const silent = await rawConnectMqtt(port, {
    clientId,
    protocolVersion: 5,
    keepalive: 1,
    clean: false,
    properties: { sessionExpiryInterval: 60 },
    will: {
      topic,
      payload: Buffer.from("gone"),
      qos: 1,
      retain: false,
      properties: { willDelayInterval: 1 },
    },
  });
  const connectedAt = now();
  await silent.waitForEnd(10_000);
  const closedAt = now();
  await env.sleep(windowMs);
  silent.destroy();
  await end(watcher);
  await dropSession(env, clientId);
  return {
    closedAfterMs: closedAt - connectedAt,
    will: arrivedAt === null ? null : (arrivedAt as number) - closedAt,
  };
}
