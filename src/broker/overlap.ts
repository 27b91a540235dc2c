import type { QoS } from "mqtt-packet";
import type { Subscription } from "./subscription.js";

/**
 * What a broker sends a client whose subscriptions overlap (several of its filters match one message):
 * - `one-max-qos`: one copy at the highest QoS, carrying every matching Subscription Identifier (the spec allows
 *   this or one copy per subscription: [MQTT-3.3.4-2..5] (5.0), [MQTT-3.3.5-1] (3.1.1));
 * - `each-in-subscribe-order`: one copy per subscription, each at its own QoS with its own identifier, in the
 *   order the client subscribed, MQTT 3.1.1 and 5 alike (NanoMQ 0.21.9 and 0.25.3, measured);
 * - `mosquitto`: MQTT 5, one copy per subscription in the order of its topic tree (at each level the literal
 *   branch, then `+`, then `#`); MQTT 3.1.1, only the first of those (mosquitto 2.0.11, measured — at that first
 *   subscription's QoS, not the highest).
 */
export type OverlapPolicy = "one-max-qos" | "each-in-subscribe-order" | "mosquitto";

/** One copy to send: at `qos` (before the message's own QoS caps it), with these Subscription Identifiers. */
export interface OverlapCopy {
  sub: Subscription;
  qos: QoS;
  subscriptionIds: number[];
}

const idsOf = (subs: readonly Subscription[]) =>
  subs.flatMap((s) => (s.identifier === undefined ? [] : [s.identifier]));

/** `+` and `#` after the literals at the first level two filters differ (mosquitto's sub__search order). */
function treeOrder(a: Subscription, b: Subscription): number {
  const rank = (level: string | undefined) =>
    level === undefined ? 0 : level === "+" ? 2 : level === "#" ? 3 : 1;
  const la = a.filter.split("/");
  const lb = b.filter.split("/");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    const d = rank(la[i]) - rank(lb[i]);
    if (d !== 0) return d;
  }
  return 0;
}

/** The copies for one client whose subscriptions `subs` (in the order it made them, at least one) match. */
export function overlappingCopies(
  policy: OverlapPolicy,
  subs: readonly Subscription[],
  protocolVersion: number,
): OverlapCopy[] {
  const each = (list: readonly Subscription[]) =>
    list.map((sub) => ({ sub, qos: sub.qos, subscriptionIds: idsOf([sub]) }));
  switch (policy) {
    case "one-max-qos": {
      const best = subs.reduce((a, b) => (b.qos > a.qos ? b : a));
      return [{ sub: best, qos: best.qos, subscriptionIds: idsOf(subs) }];
    }
    case "each-in-subscribe-order":
      return each(subs);
    case "mosquitto": {
      const ordered = [...subs].sort(treeOrder);
      return each(protocolVersion === 5 ? ordered : ordered.slice(0, 1));
    }
  }
}
