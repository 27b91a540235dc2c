import { collect, connect5, dropSession, type Env, end, settle, uniqueId } from "./mqtt5-procedures.js";

export interface ExpiryIntervals {
  /** Expires while waiting. */
  shortS: number;
  /** Outlives the wait. */
  longS: number;
}

/** What a resumed or new subscriber got: payload → the expiry interval it carried ("none" without one). */
export type ExpirySeen = Record<string, number | "none">;

const seen = (got: ReturnType<typeof collect>): ExpirySeen =>
  Object.fromEntries(got.map((m) => [m.payload, m.expiryS ?? "none"]));

/**
 * A persistent subscriber leaves; "short", "long" and "none" (no expiry) are published at QoS 1; after `waitMs`
 * (clock ms) it resumes: what arrives, with the interval each carries.
 */
export async function expiryWhileQueued(
  env: Env,
  i: ExpiryIntervals,
  waitMs: number,
  /** Real ms to wait for the resumed session's messages (NanoMQ sends one per keepalive tick). */
  collectMs = 500,
): Promise<ExpirySeen> {
  const clientId = uniqueId("mqdiag-expq");
  const topic = `mqdiag/expiry/${clientId}`;
  const persistent = { clientId, clean: false, properties: { sessionExpiryInterval: 300 } };
  const sub = await connect5(env, persistent);
  await sub.subscribeAsync(topic, { qos: 1 });
  await end(sub);
  const pub = await connect5(env, {});
  await pub.publishAsync(topic, "short", { qos: 1, properties: { messageExpiryInterval: i.shortS } });
  await pub.publishAsync(topic, "long", { qos: 1, properties: { messageExpiryInterval: i.longS } });
  await pub.publishAsync(topic, "none", { qos: 1 });
  await end(pub);
  await env.sleep(waitMs);
  const again = await connect5(env, persistent);
  const got = collect(again);
  await settle(() => got.length >= 3, collectMs);
  await end(again);
  await dropSession(env, clientId);
  return seen(got);
}

/** The topic level each retained message is published under (NanoMQ walks them in this order). */
export interface RetainedTopics {
  short: string;
  long: string;
  none: string;
}

/** Retained "short", "long" and "none" on three topics; after `waitMs` (clock ms) a subscriber to `<base>/#`. */
export async function expiryRetained(
  env: Env,
  i: ExpiryIntervals,
  waitMs: number,
  names: RetainedTopics = { short: "short", long: "long", none: "none" },
): Promise<ExpirySeen> {
  const base = `mqdiag/expiry-retained/${uniqueId("r")}`;
  const pub = await connect5(env, {});
  const props = (s: number) => ({ properties: { messageExpiryInterval: s } });
  await pub.publishAsync(`${base}/${names.short}`, "short", { qos: 1, retain: true, ...props(i.shortS) });
  await pub.publishAsync(`${base}/${names.long}`, "long", { qos: 1, retain: true, ...props(i.longS) });
  await pub.publishAsync(`${base}/${names.none}`, "none", { qos: 1, retain: true });
  await env.sleep(waitMs);
  const sub = await connect5(env, {});
  const got = collect(sub);
  await sub.subscribeAsync(`${base}/#`, { qos: 1 });
  await settle(() => got.length >= 3, 300);
  await end(sub);
  for (const t of Object.values(names)) await pub.publishAsync(`${base}/${t}`, "", { qos: 1, retain: true });
  await end(pub);
  return seen(got);
}

/** A live subscriber: the interval a message published with `intervalS` arrives with. */
export async function expiryForwarded(env: Env, intervalS: number): Promise<ExpirySeen> {
  const topic = `mqdiag/expiry-live/${uniqueId("l")}`;
  const sub = await connect5(env, {});
  const got = collect(sub);
  await sub.subscribeAsync(topic, { qos: 1 });
  const pub = await connect5(env, {});
  await pub.publishAsync(topic, "live", { qos: 1, properties: { messageExpiryInterval: intervalS } });
  await settle(() => got.length >= 1, 1000);
  await end(pub);
  await end(sub);
  return seen(got);
}
