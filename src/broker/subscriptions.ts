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

  /** One client's non-shared subscriptions that match `topic`, in the order it made them. */
  matchClient(clientId: string, topic: string): Subscription[] {
    const subs = this.byClient.get(clientId)?.values() ?? [];
    return [...subs].filter((sub) => !sub.share && topicMatches(sub.filter, topic));
  }

  /** Per client, its non-shared subscriptions that match, in the order it made them (./overlap.ts decides). */
  match(topic: string): Map<string, Subscription[]> {
    const result = new Map<string, Subscription[]>();
    for (const [clientId, subs] of this.byClient) {
      const matching = [...subs.values()].filter((sub) => !sub.share && topicMatches(sub.filter, topic));
      if (matching.length > 0) result.set(clientId, matching);
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
