import type { Subscription } from "./subscription.js";
import { isValidFilter, topicMatches } from "./topic-filter.js";

const PREFIX = "$share/";

/** What a SUBSCRIBE topic filter is, as far as sharing goes. */
export type ShareParse =
  | { kind: "plain" }
  | { kind: "shared"; group: string; filter: string }
  /** `emptyPart`: no ShareName, or nothing after it (`$share//x`, `$share/g`, `$share/g/`). */
  | { kind: "invalid"; emptyPart: boolean };

/**
 * (5.0) §4.8.2: `$share/<ShareName>/<filter>`; the ShareName is at least one character [MQTT-4.8.2-1], has no
 * `/`, `+` or `#`, and is followed by `/` and a topic filter [MQTT-4.8.2-2].
 */
export function parseShare(topic: string): ShareParse {
  if (!topic.startsWith(PREFIX)) return { kind: "plain" };
  const rest = topic.slice(PREFIX.length);
  const slash = rest.indexOf("/");
  const group = slash === -1 ? rest : rest.slice(0, slash);
  const filter = slash === -1 ? "" : rest.slice(slash + 1);
  if (group === "" || filter === "") return { kind: "invalid", emptyPart: true };
  if (/[+#]/.test(group) || !isValidFilter(filter)) return { kind: "invalid", emptyPart: false };
  return { kind: "shared", group, filter };
}

interface Group {
  group: string;
  filter: string;
  /** Member client ids in the order they subscribed. */
  members: string[];
  /** How many messages the group has had (the round robin's position). */
  sent: number;
}

/**
 * The shared subscription groups: one group per ShareName and filter; each message matching a group's filter goes
 * to one member of it, round robin (with two members the messages alternate on mosquitto 2.0.11 and NanoMQ 0.25.3,
 * measured), whatever the non-shared subscriptions get.
 */
export class SharedGroups {
  private readonly groups = new Map<string, Group>();
  /** Each member's subscription (its options, QoS), by group key then client id. */
  private readonly subs = new Map<string, Map<string, Subscription>>();
  /** NanoMQ's one counter for the whole broker (Mqtt5Policy.shared.roundRobin "broker-wide"). */
  private brokerCount = 0;

  add(clientId: string, group: string, filter: string, sub: Subscription): void {
    const key = `${group}\u0000${filter}`;
    let g = this.groups.get(key);
    if (!g) {
      g = { group, filter, members: [], sent: 0 };
      this.groups.set(key, g);
      this.subs.set(key, new Map());
    }
    if (!g.members.includes(clientId)) g.members.push(clientId);
    this.subs.get(key)?.set(clientId, sub);
  }

  remove(clientId: string, group: string, filter: string): void {
    const key = `${group}\u0000${filter}`;
    const g = this.groups.get(key);
    if (!g) return;
    g.members = g.members.filter((m) => m !== clientId);
    this.subs.get(key)?.delete(clientId);
    if (g.members.length === 0) {
      this.groups.delete(key);
      this.subs.delete(key);
    }
  }

  removeClient(clientId: string): void {
    for (const g of [...this.groups.values()]) this.remove(clientId, g.group, g.filter);
  }

  /**
   * For each group whose filter matches, the member that gets this message: "per-group" goes round each group's
   * members from the first to subscribe (mosquitto); "broker-wide" picks member count mod n with one count for the
   * broker, bumped once per message that matches any group (NanoMQ 0.25.3).
   */
  pick(topic: string, roundRobin: "per-group" | "broker-wide"): { clientId: string; sub: Subscription }[] {
    const picks: { clientId: string; sub: Subscription }[] = [];
    for (const [key, g] of this.groups) {
      if (!topicMatches(g.filter, topic)) continue;
      const turn = roundRobin === "per-group" ? g.sent++ : this.brokerCount;
      const clientId = g.members[turn % g.members.length];
      const sub = clientId === undefined ? undefined : this.subs.get(key)?.get(clientId);
      if (clientId !== undefined && sub) picks.push({ clientId, sub });
    }
    if (picks.length > 0) this.brokerCount++;
    return picks;
  }
}
