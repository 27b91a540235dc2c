import { SharedGroups } from "./shared-subscriptions.js";
import type { Subscription } from "./subscription.js";
import { topicMatches } from "./topic-filter.js";

/** Every client's subscriptions, by client id. */
export class SubscriptionTable {
  private readonly byClient = new Map<string, Map<string, Subscription>>();
  /** The shared subscriptions' groups (./shared-subscriptions.ts). */
  private readonly shared = new SharedGroups();

  /** Adds or replaces; returns true when the filter is new for this client. */
  add(clientId: string, sub: Subscription): boolean {
    let subs = this.byClient.get(clientId);
    if (!subs) {
      subs = new Map();
      this.byClient.set(clientId, subs);
    }
    const isNew = !subs.has(sub.filter);
    subs.set(sub.filter, sub);
    if (sub.share) this.shared.add(clientId, sub.share.group, sub.share.filter, sub);
    return isNew;
  }

  remove(clientId: string, filter: string): boolean {
    const share = this.byClient.get(clientId)?.get(filter)?.share;
    if (share) this.shared.remove(clientId, share.group, share.filter);
    return this.byClient.get(clientId)?.delete(filter) ?? false;
  }

  has(clientId: string): boolean {
    return (this.byClient.get(clientId)?.size ?? 0) > 0;
  }

  removeClient(clientId: string): void {
    this.byClient.delete(clientId);
    this.shared.removeClient(clientId);
  }

  /** Per client, the matching subscription with the highest QoS (one delivery per client [MQTT-3.3.5-1]). */
  match(topic: string): Map<string, Subscription> {
    const result = new Map<string, Subscription>();
    for (const [clientId, subs] of this.byClient) {
      for (const sub of subs.values()) {
        if (sub.share || !topicMatches(sub.filter, topic)) continue;
        const best = result.get(clientId);
        if (!best || sub.qos > best.qos) result.set(clientId, sub);
      }
    }
    return result;
  }

  /** For each shared subscription group the topic matches, the one member that gets the message. */
  pickShared(
    topic: string,
    roundRobin: "per-group" | "broker-wide",
  ): { clientId: string; sub: Subscription }[] {
    return this.shared.pick(topic, roundRobin);
  }
}
