/**
 * How a profile does the MQTT 5 features around sessions and delivery: message expiry, Receive Maximum, topic
 * aliases, shared subscriptions and the will delay. Each value is what the profile's real broker measurably does
 * (mosquitto 2.0.11 from the Debian package, NanoMQ 0.25.3; the side-by-side tests are
 * test/integration/mosquitto-mqtt5-*.test.ts and test/integration/nanomq/mqtt5-*.test.ts); the spec profile does
 * what the MQTT 5 spec says.
 */
export interface Mqtt5Policy {
  /**
   * The Message Expiry Interval sent on a forwarded message (src/broker/sessions/message-expiry.ts): "exact" = the
   * received value less the time waited, rounded up (§3.3.2.3.3); "whole-seconds" = mosquitto's arithmetic on whole
   * seconds (expires at ⌊received s⌋ + interval); "unchanged" = the received value, whatever the wait (NanoMQ).
   */
  readonly messageExpiry: "exact" | "whole-seconds" | "unchanged";
  /**
   * NanoMQ 0.25.3: a SUBSCRIBE's retained messages are walked by topic depth, then name, and the walk stops at the first
   * expired one: those before it are sent, it and those after it are not; the expired one stays stored, so every
   * later SUBSCRIBE stops there too.
   */
  readonly expiredRetainedStopsWalk: boolean;
  /**
   * What happens to QoS 1/2 messages past the client's Receive Maximum (src/broker/flow/receive-maximum.ts):
   * "spec" = they wait and one goes out per acknowledgement; "burst-per-ack" = each ack lets up to
   * Receive Maximum of them out (mosquitto 2.0.11, so more than the maximum end up in flight); "drip" = they go to
   * the session cache and are re-sent one per keepalive tick with DUP (NanoMQ 0.25.3).
   */
  readonly receiveMaximum: "spec" | "burst-per-ack" | "drip";
  /**
   * The broker's own cap on QoS 1/2 messages in flight to any client, 3.1.1 too, below the client's Receive Maximum
   * (mosquitto's `max_inflight_messages`, default 20: measured 20 of 30 unacknowledged on 3.1.1 and on a 5 client
   * without Receive Maximum); undefined = none.
   */
  readonly maxInflight?: number;
  /**
   * The DISCONNECT reason code for a client that sends a QoS 1/2 PUBLISH while as many of its QoS 1/2 publications
   * as the broker's Receive Maximum are still unfinished (§3.3.4, §4.9: 0x93 Receive Maximum exceeded), or null
   * when the profile does not check it (not measured on the real mosquitto or NanoMQ).
   */
  readonly receiveMaximumExceeded: number | null;
  /** The client→broker Topic Alias Maximum the broker allows (and advertises, if it advertises one). */
  readonly topicAliasMaximum: number;
  /** DISCONNECT reason codes for an inbound topic alias of 0, over the maximum, or with no mapping (empty topic). */
  readonly topicAliasErrors: { readonly zero: number; readonly overMax: number; readonly unknown: number };
  /** Whether the broker uses topic aliases on what it sends to a client that allows them (CONNECT property 34). */
  readonly sendsTopicAliases: boolean;
  /**
   * The DISCONNECT reason code for a SUBSCRIBE whose Subscription Identifier is 0 (a Protocol Error, §3.8.2.1.2:
   * 0x82), or null when the profile takes it like any other identifier (not measured on the real brokers).
   */
  readonly subscriptionIdentifierZero: number | null;
  /** Shared subscriptions `$share/<group>/<filter>` (src/broker/shared-subscriptions.ts). */
  readonly shared: {
    /** Whether a shared SUBSCRIBE gets the matching retained messages (the spec: no; mosquitto 2.0.11: yes). */
    readonly retainedOnSubscribe: boolean;
    /** No Local on a shared subscription: a Protocol Error, DISCONNECT 0x82 [MQTT-3.8.3-4]; mosquitto 2.0.11 grants it. */
    readonly noLocalIsError: boolean;
    /**
     * "per-group": each group goes round its members from the first to subscribe (mosquitto 2.0.11, measured);
     * "broker-wide": one counter for the whole broker, bumped by every message that matches a group, picks member
     * counter mod n (NanoMQ 0.25.3, mqtt_db.c iterate_shared_client `acnt`; its members are ordered by pipe id, and
     * the first subscriber went first in 6 runs of 7 — here, always subscribe order).
     */
    readonly roundRobin: "per-group" | "broker-wide";
    /**
     * An invalid share name: "suback" = the filter gets SUBACK 0x8F (0x80 on 3.1.1); otherwise the connection is
     * closed with a DISCONNECT of this reason code. `plainIfEmptyPart`: a share with no group or no filter
     * (`$share//x`, `$share/g`, `$share/g/`) is taken as an ordinary topic filter (mosquitto 2.0.11).
     */
    readonly invalid: "suback" | { readonly disconnect: number; readonly plainIfEmptyPart: boolean };
  };
  /**
   * The will of a v5 connection with a Will Delay Interval (src/broker/will-delay.ts): "spec" = published when the
   * delay or the session ends, whichever is first [MQTT-3.1.3-9]; "delay-even-without-session" = the same, but a
   * session expiry of 0 does not cut the delay short (mosquitto 2.0.11); "pipe-tick" = NanoMQ: the will of a
   * kept session (clean start 0) goes when a tick of its pipe's timer ends that session, at once otherwise
   * (src/broker/sessions/cached-session.ts).
   */
  readonly willDelay: "spec" | "delay-even-without-session" | "pipe-tick";
}

const TOPIC_ALIAS_INVALID = 0x94;
const PROTOCOL_ERROR = 0x82;
const MALFORMED_PACKET = 0x81;
const UNSPECIFIED_ERROR = 0x80;
const RECEIVE_MAXIMUM_EXCEEDED = 0x93;

/** The spec, our picks where it leaves a choice (a Topic Alias Maximum of 10, round robin from the first member). */
export const SPEC_MQTT5: Mqtt5Policy = {
  messageExpiry: "exact",
  expiredRetainedStopsWalk: false,
  receiveMaximum: "spec",
  receiveMaximumExceeded: RECEIVE_MAXIMUM_EXCEEDED,
  topicAliasMaximum: 10,
  // [MQTT-3.3.2-8] alias 0 and [MQTT-3.3.2-9] over the maximum: 0x94 Topic Alias invalid; an alias never mapped
  // (empty topic): a Protocol Error (§3.3.2.3.4).
  topicAliasErrors: { zero: TOPIC_ALIAS_INVALID, overMax: TOPIC_ALIAS_INVALID, unknown: PROTOCOL_ERROR },
  sendsTopicAliases: true,
  subscriptionIdentifierZero: PROTOCOL_ERROR,
  shared: { retainedOnSubscribe: false, noLocalIsError: true, roundRobin: "per-group", invalid: "suback" },
  willDelay: "spec",
};

/**
 * mosquitto 2.0.11, measured on loopback (test/integration/mosquitto-mqtt5-*.test.ts): CONNACK Topic Alias Maximum
 * 10 and Receive Maximum 20; alias 0 → DISCONNECT 0x81 (`disconnected due to malformed packet`), 11 → 0x94
 * (`Bad socket read/write on client <id>: Unknown error.`), unmapped → 0x82; no aliases towards clients; the
 * expiry interval forwarded in whole seconds; shared groups round robin from the first subscriber, retained
 * messages sent on a shared SUBSCRIBE; `$share/g+/x` and `$share/g#/x` → DISCONNECT 0x81; the will delay waits
 * even when the session expiry is 0.
 */
export const MOSQUITTO_MQTT5: Mqtt5Policy = {
  messageExpiry: "whole-seconds",
  expiredRetainedStopsWalk: false,
  receiveMaximum: "burst-per-ack",
  maxInflight: 20,
  receiveMaximumExceeded: null,
  topicAliasMaximum: 10,
  topicAliasErrors: { zero: MALFORMED_PACKET, overMax: TOPIC_ALIAS_INVALID, unknown: PROTOCOL_ERROR },
  sendsTopicAliases: false,
  subscriptionIdentifierZero: null,
  shared: {
    retainedOnSubscribe: true,
    noLocalIsError: false,
    roundRobin: "per-group",
    invalid: { disconnect: MALFORMED_PACKET, plainIfEmptyPart: true },
  },
  willDelay: "delay-even-without-session",
};

/**
 * NanoMQ 0.25.3, measured (test/integration/nanomq/mqtt5-*.test.ts): CONNACK Topic Alias Maximum 0, and every
 * inbound alias refused: 0 → DISCONNECT 0x82, any other → 0x80; no aliases towards clients; the expiry interval
 * forwarded unchanged, expired messages dropped from the session cache; a SUBSCRIBE's retained messages go by depth
 * then name up to the first expired one (a, b, c with b expired: only a); past the client's Receive Maximum the messages go to the session
 * cache and come one per tick with DUP; shared groups round robin on one broker-wide counter, no retained messages
 * on a shared SUBSCRIBE, an invalid share name → DISCONNECT 0x82; the will of a kept session (clean start 0) goes
 * when a tick of its pipe's timer ends the session (with clean start 1 at once; measured on 0.21.9 too).
 * NanoMQ 0.21.9 is not measured for the rest and takes the same policy (a guess).
 */
export const NANOMQ_MQTT5: Mqtt5Policy = {
  messageExpiry: "unchanged",
  expiredRetainedStopsWalk: true,
  receiveMaximum: "drip",
  receiveMaximumExceeded: null,
  topicAliasMaximum: 0,
  topicAliasErrors: { zero: PROTOCOL_ERROR, overMax: UNSPECIFIED_ERROR, unknown: UNSPECIFIED_ERROR },
  sendsTopicAliases: false,
  subscriptionIdentifierZero: null,
  shared: {
    retainedOnSubscribe: false,
    noLocalIsError: true,
    roundRobin: "broker-wide",
    invalid: { disconnect: PROTOCOL_ERROR, plainIfEmptyPart: false },
  },
  willDelay: "pipe-tick",
};
