/**
 * How a broker keeps the messages of a session whose client is away, and what it re-sends when the client comes
 * back. Each profile's values are what its real broker measurably does (test/integration/*sessions*.test.ts).
 */
export interface SessionPolicy {
  /** Messages (QoS 1/2) queued per offline session; past it new messages are dropped and counted. */
  maxQueuedMessages: number;
  /** Whether QoS 0 messages are queued for an offline session too (the spec allows it; none of ours do). */
  queueQos0: boolean;
  /**
   * How many queued messages are delivered on resume; the rest are lost (a broker that sends only part of its
   * queue). Infinity = all.
   */
  deliverOnResume: number;
}

/** The spec profile: queue every QoS 1/2 message (bounded so memory stays bounded), QoS 0 not, deliver all. */
export const SPEC_SESSION_POLICY: SessionPolicy = {
  maxQueuedMessages: 1000,
  queueQos0: false,
  deliverOnResume: Number.POSITIVE_INFINITY,
};
