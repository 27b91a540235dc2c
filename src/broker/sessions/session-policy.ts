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
   * keepalive tick (NanoMQ's `retry_interval`, ProfileOptions.retryIntervalMs), each with DUP, the first one tick
   * after CONNECT — NanoMQ re-sends its session cache from the pipe's keepalive timer, one message a tick.
   */
  resend: "at-once" | "one-per-tick";
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
 * timer re-sends one cached message per tick (`retry_interval`), with DUP. Nothing is lost, it is slow: within a wait
 * W after CONNECT about floor(W / retry_interval) arrive (3 of 5, 3 of 10, 3 of 20 within 4 s at 1 s). QoS 0 is not
 * cached. The cache bound (none for the in-memory cache, `sqlite.disk_cache_size` with SQLite) is not measured.
 */
export const NANOMQ_SESSION_POLICY: SessionPolicy = {
  maxQueuedMessages: 1000,
  queueQos0: false,
  deliverOnResume: Number.POSITIVE_INFINITY,
  resend: "one-per-tick",
};
