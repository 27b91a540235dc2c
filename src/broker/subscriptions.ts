import type { QoS } from "mqtt-packet";
import { topicMatches } from "./topic-filter.js";

export interface Subscription {
  filter: string;
  qos: QoS;
  /** v5 No Local: do not deliver the subscriber's own messages. */
  noLocal: boolean;
  /** v5 Retain As Published. */
  retainAsPublished: boolean;
}

/** Every client's subscriptions, by client id. */
export class SubscriptionTable {
  private readonly byClient = new Map<string, Map<string, Subscription>>();

  /** Adds or replaces; returns true when the filter is new for this client. */
  add(clientId: string, sub: Subscription): boolean {
    let subs = this.byClient.get(clientId);
    if (!subs) {
      subs = new Map();
      this.byClient.set(clientId, subs);
    }
    const isNew = !subs.has(sub.filter);
    subs.set(sub.filter, sub);
    return isNew;
  }

  remove(clientId: string, filter: string): boolean {
    return this.byClient.get(clientId)?.delete(filter) ?? false;
  }

  has(clientId: string): boolean {
    return (this.byClient.get(clientId)?.size ?? 0) > 0;
  }

  removeClient(clientId: string): void {
    this.byClient.delete(clientId);
  }

  /** Per client, the matching subscription with the highest QoS (one delivery per client [MQTT-3.3.5-1]). */
  match(topic: string): Map<string, Subscription> {
    const result = new Map<string, Subscription>();
    for (const [clientId, subs] of this.byClient) {
      for (const sub of subs.values()) {
        if (!topicMatches(sub.filter, topic)) continue;
        const best = result.get(clientId);
        if (!best || sub.qos > best.qos) result.set(clientId, sub);
      }
    }
    return result;
  }
}
