import type { QoS } from "mqtt-packet";
import { collect, connect5, type Env, end, settle, uniqueId } from "./mqtt5-procedures.js";

/** One subscription of the subscriber: `x` (the exact topic), `+` or `#` under a fresh base, its QoS and identifier. */
export interface OverlapSub {
  level: "x" | "+" | "#";
  qos: QoS;
  id?: number;
}

/**
 * A subscriber (MQTT `version`) makes `subs` in order, one SUBSCRIBE each (5.0: each with its identifier), after a
 * retained QoS 1 message "r" was stored on `<base>/x`; then "m" is published at QoS 1 on `<base>/x`. What it got,
 * in order: `<payload> q<qos> [<ids>]`, e.g. `m q1 [7]`, `r q0 []`.
 */
export async function overlapping(env: Env, version: 4 | 5, subs: readonly OverlapSub[]): Promise<string[]> {
  const base = `mqdiag/overlap/${uniqueId("t")}`;
  const pub = await connect5(env, {});
  await pub.publishAsync(`${base}/x`, "r", { qos: 1, retain: true });
  const sub = await connect5(env, { protocolVersion: version });
  const got = collect(sub);
  for (const s of subs) {
    const filter = s.level === "x" ? `${base}/x` : `${base}/${s.level}`;
    const properties =
      version === 5 && s.id !== undefined ? { properties: { subscriptionIdentifier: s.id } } : {};
    await sub.subscribeAsync(filter, { qos: s.qos, ...properties });
  }
  await settle(() => got.length >= subs.length, 1000);
  const retainedCount = got.length;
  await pub.publishAsync(`${base}/x`, "m", { qos: 1 });
  // every copy comes within a few ms; 300 ms more shows that no further copy follows (a window, not an event: the
  // real brokers these cases also run on say nothing when they are done)
  await settle(() => got.length > retainedCount, 1000);
  await new Promise((r) => setTimeout(r, 300));
  const seen = got.map((m) => `${m.payload} q${m.qos} [${m.subscriptionIds.join(",")}]`);
  await end(sub);
  await pub.publishAsync(`${base}/x`, "", { qos: 1, retain: true });
  await end(pub);
  return seen;
}
