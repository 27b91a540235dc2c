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
  /**
   * How the kept messages go out on resume: "at-once" (after CONNACK, in order), or "one-per-tick": one message per
   * keepalive tick (NanoMQ's `retry_interval` Q, ProfileOptions.retryIntervalMs), each with DUP, the first 1.5 × Q
   * after CONNECT — NanoMQ re-sends its session cache from the pipe's keepalive timer, one message a tick; or "none":
   * kept, never sent (what NanoMQ 0.21.9 measurably does, reason not found).
   */
  resend: "at-once" | "one-per-tick" | "none";
}

/** The spec profile: queue every QoS 1/2 message (bounded so memory stays bounded), QoS 0 not, deliver all. */
export const SPEC_SESSION_POLICY: SessionPolicy = {
  maxQueuedMessages: 1000,
  queueQos0: false,
  deliverOnResume: Number.POSITIVE_INFINITY,
  resend: "at-once",
};

/**
 * mosquitto 2.0.11 (Debian package), measured (test/integration/mosquitto-sessions.test.ts): every queued QoS 1/2
 * message is delivered at once on resume, in order, without DUP; QoS 0 is not queued (`queue_qos0_messages false`).
 * The bound is mosquitto's documented default `max_queued_messages 1000` (not measured past N = 20).
 */
export const MOSQUITTO_SESSION_POLICY: SessionPolicy = {
  maxQueuedMessages: 1000,
  queueQos0: false,
  deliverOnResume: Number.POSITIVE_INFINITY,
  resend: "at-once",
};

/**
 * NanoMQ 0.25.3, measured (test/integration/nanomq/sessions-real.test.ts) and read in its source
 * (nng/src/sp/protocol/mqtt/nmq_mqtt.c, nano_pipe_timer_cb): a message for an offline session is put in the
 * session's QoS cache ("msg cached for preset session"); on resume nothing is sent at once: the pipe's keepalive
 * timer re-sends one cached message per tick (`retry_interval` Q), with DUP; the pipe's first tick is at 1.5 × Q.
 * Nothing is lost, it is slow: within a wait W after CONNECT, floor((W − 1.5 Q) / Q) + 1 arrive (W ≥ 1.5 Q): 3 of 5,
 * 3 of 10, 3 of 20 within 4 s at Q = 1 s (arrivals at 1.50, 2.50, 3.50 … s, ±15 ms, 4 runs); all 10 within 12 s;
 * at Q = 2 s, 3 of 10 within 7 s. An unacknowledged in-flight QoS 1/2 PUBLISH comes again the same way (DUP, its
 * packet id, at the 1.5 × Q tick). QoS 0 is not cached. The cache bound (none for the in-memory cache, `sqlite.disk_cache_size` with SQLite) is not measured.
 */
export const NANOMQ_SESSION_POLICY: SessionPolicy = {
  maxQueuedMessages: 1000,
  queueQos0: false,
  deliverOnResume: Number.POSITIVE_INFINITY,
  resend: "one-per-tick",
};

/**
 * NanoMQ 0.21.9, measured (test/integration/nanomq/sessions-real.test.ts): session present, the messages cached
 * ("msg cached for session" at debug), but none of them reaches the client on resume: 0 of 5/10/20 (QoS 1 and 2)
 * within 4, 6, 8 and 15 s, 3.1.1 and 5, subscriber gone by DISCONNECT or by a dropped connection (30 runs at 4 s,
 * 12 more at 6–15 s, no variance). At trace level the broker says it re-sends ("resending qos msg packetid: 1" each
 * tick from ~2 s, the same id every time, never acknowledged), but a raw capture of the resumed connection holds
 * only the CONNACK (`20 02 01 00`) for 4.5 s: the re-send does not reach the new connection (its pipe was swapped
 * with the cached one in nano_pipe_start; where the bytes go was not traced). An unacknowledged in-flight PUBLISH does
 * not come again within 4 s either. Versions between 0.21.9 and 0.25.3
 * are unmeasured and take this policy.
 */
export const NANOMQ_0_21_SESSION_POLICY: SessionPolicy = { ...NANOMQ_SESSION_POLICY, resend: "none" };
