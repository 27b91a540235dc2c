import type { IConnackPacket } from "mqtt-packet";
import { type ProfileOptions, versionAtLeast } from "../../core/profile.js";
import { mosquittoDialect } from "../dialects/mosquitto.js";
import { nanomqDialect } from "../dialects/nanomq.js";
import { specDialect } from "../dialects/spec.js";
import type { LogDialect } from "../dialects/types.js";
import type { OverlapPolicy } from "../overlap.js";
import {
  MOSQUITTO_SESSION_POLICY,
  NANOMQ_0_21_SESSION_POLICY,
  NANOMQ_SESSION_POLICY,
  type SessionPolicy,
  SPEC_SESSION_POLICY,
} from "../sessions/session-policy.js";
import { MOSQUITTO_KEEPALIVE, MOSQUITTO_LIFECYCLE } from "./mosquitto-measured.js";
import { mosquittoReact } from "./mosquitto-reactions.js";
import { MOSQUITTO_MQTT5, type Mqtt5Policy, NANOMQ_MQTT5, SPEC_MQTT5 } from "./mqtt5-policy.js";
import { nanomqReact } from "./nanomq-reactions.js";
import type { ReactFn } from "./reaction.js";
import { specReact } from "./spec-reactions.js";

/** Everything that makes the embedded broker behave like one broker rather than another (besides keepalive). */
export interface BrokerProfile {
  readonly dialect: LogDialect;
  readonly react: ReactFn;
  /** How long a TCP connection may stay open without CONNECT (a plain timer). */
  readonly connectTimeoutMs: number;
  /**
   * Instead of the timer: watch a connection that has not sent CONNECT with the keepalive model at this keepalive
   * (mosquitto gives it 60 s and its sweep), or null.
   */
  readonly noConnectKeepaliveMs: number | null;
  /** Reason code of the DISCONNECT sent to a v5 client before a keepalive kick, or null for a plain close. */
  readonly kickReasonCode: number | null;
  /** Reason code of the DISCONNECT sent to a v5 client that is taken over, or null for a plain close. */
  readonly takeoverReasonCode: number | null;
  /**
   * Whether the broker, closing a connection, half-closes it and reads (and drops) what the peer still sends until
   * the peer closes, so its DISCONNECT is not lost to a RST (Connection.endDraining); false: the socket is destroyed
   * once what was queued is written, so a peer that keeps sending gets a RST (the mosquitto and nanomq profiles, as
   * they always have; how the real brokers drain was not measured).
   */
  readonly drainsOnClose: boolean;
  /** Whether a v5 CONNACK carries Maximum Packet Size (the broker's limit, src/broker/limits.ts). */
  readonly advertisesMaximumPacketSize: boolean;
  /** Whether the retained messages a SUBSCRIBE matches go out before its SUBACK (NanoMQ) or after it. */
  readonly retainedBeforeSuback: boolean;
  /**
   * The properties of a v5 CONNACK exactly as this broker sends them (in its order), given the packet size limit;
   * and the Server Keep Alive it tells this client (undefined: none); undefined = the embedded broker's own set
   * (src/broker/handlers/connect.ts).
   */
  readonly connackProperties?: (
    maxPacketBytes: number,
    serverKeepAlive: number | undefined,
  ) => NonNullable<IConnackPacket["properties"]>;
  /** What a client whose subscriptions overlap gets (../overlap.ts). */
  readonly overlap: OverlapPolicy;
  /**
   * A retained message a new SUBSCRIBE matches goes out once for every subscription of the client that matches its
   * topic (as `overlap` copies a message), not once for the new one: NanoMQ 0.25.3 sends it again for the
   * client's earlier subscriptions on each SUBSCRIBE (measured).
   */
  readonly retainedToEveryMatchingSubscription: boolean;
  /** Offline queue and resume (src/broker/sessions/session-policy.ts). */
  readonly sessionPolicy: SessionPolicy;
  /** Message expiry, Receive Maximum, topic aliases, shared subscriptions, will delay (./mqtt5-policy.ts). */
  readonly mqtt5: Mqtt5Policy;
}

/** NanoMQ: `nego aio error: Timed out` after 15 s (measured on 0.21.9 and 0.25.3: 15.0 s). */
const NANOMQ_CONNECT_TIMEOUT_MS = 15_000;
/** mosquitto gives a new connection a keepalive of 60 s until CONNECT: its sweep drops it after 90–96 s (measured). */
const MOSQUITTO_NO_CONNECT_KEEPALIVE_MS = 60_000;
/** The spec says only "a reasonable amount of time" (3.1.1 §3.1.4 non-normative); our pick. */
const SPEC_CONNECT_TIMEOUT_MS = 30_000;

const SESSION_TAKEN_OVER = 0x8e;
const KEEP_ALIVE_TIMEOUT = 0x8d;

export function brokerProfile(options: ProfileOptions): BrokerProfile {
  switch (options.profile) {
    case "nanomq":
      // NanoMQ kicks and takes over with a plain TCP close, even on v5: no DISCONNECT 0x8D / 0x8E (measured on
      // 0.21.9 and 0.25.3, test/integration/nanomq/fidelity.test.ts).
      return {
        dialect: nanomqDialect(options.nanomqVersion),
        react: nanomqReact(options.nanomqVersion),
        connectTimeoutMs: NANOMQ_CONNECT_TIMEOUT_MS,
        noConnectKeepaliveMs: null,
        kickReasonCode: null,
        takeoverReasonCode: null,
        drainsOnClose: false,
        advertisesMaximumPacketSize: false,
        // Measured on 0.21.9 and 0.25.3: the retained PUBLISH arrives before the SUBACK.
        retainedBeforeSuback: true,
        // Measured (bytes and order): 0.21.9 `2a 01 29 01 28 01`; 0.25.3 adds `22 00 00 27 <max_packet_size>`.
        connackProperties: (maxPacketBytes) => ({
          sharedSubscriptionAvailable: true,
          subscriptionIdentifiersAvailable: true,
          wildcardSubscriptionAvailable: true,
          ...(versionAtLeast(options.nanomqVersion, [0, 25, 0])
            ? { topicAliasMaximum: 0, maximumPacketSize: maxPacketBytes }
            : {}),
        }),
        // Measured on both builds; the version where 0.21.9's "none" became 0.25.3's drip is not known.
        overlap: "each-in-subscribe-order", // measured on 0.21.9 and 0.25.3, MQTT 3.1.1 and 5
        retainedToEveryMatchingSubscription: true, // measured on 0.25.3; 0.21.9 unmeasured (a guess)
        sessionPolicy: versionAtLeast(options.nanomqVersion, [0, 25, 3])
          ? NANOMQ_SESSION_POLICY
          : NANOMQ_0_21_SESSION_POLICY,
        mqtt5: NANOMQ_MQTT5, // measured on 0.25.3; 0.21.9 unmeasured (a guess)
      };
    case "mosquitto":
      return {
        dialect: mosquittoDialect,
        react: mosquittoReact,
        connectTimeoutMs: MOSQUITTO_LIFECYCLE.noConnect.timeoutMs,
        noConnectKeepaliveMs: MOSQUITTO_NO_CONNECT_KEEPALIVE_MS,
        // Measured on 2.0.11: a kick and a takeover are a plain FIN, on MQTT 5 too (no 0x8D / 0x8E).
        kickReasonCode: MOSQUITTO_KEEPALIVE.kickReply,
        takeoverReasonCode: MOSQUITTO_LIFECYCLE.takeover.oldReply,
        drainsOnClose: false,
        // stock mosquitto has no limit and sends none; with max_packet_size set it would
        advertisesMaximumPacketSize: false,
        retainedBeforeSuback: false,
        overlap: "mosquitto", // measured on 2.0.11
        retainedToEveryMatchingSubscription: false,
        sessionPolicy: MOSQUITTO_SESSION_POLICY, // measured on 2.0.11
        // Measured on 2.0.11: `22 00 0a 21 00 14` (Topic Alias Maximum 10, then Receive Maximum 20), nothing else;
        // with max_keepalive 10 and a client asking 120, `22 00 0a 13 00 0a 21 00 14` (Server Keep Alive between).
        connackProperties: (_maxPacketBytes, serverKeepAlive) => ({
          topicAliasMaximum: 10,
          ...(serverKeepAlive !== undefined ? { serverKeepAlive } : {}),
          receiveMaximum: 20,
        }),
        mqtt5: MOSQUITTO_MQTT5,
      };
    case "spec":
      return {
        dialect: specDialect,
        react: specReact,
        connectTimeoutMs: SPEC_CONNECT_TIMEOUT_MS,
        noConnectKeepaliveMs: null,
        // [MQTT-3.1.2-22] (5.0) keepalive exceeded: DISCONNECT 0x8D; [MQTT-3.1.4-3] (5.0) takeover: 0x8E.
        kickReasonCode: KEEP_ALIVE_TIMEOUT,
        takeoverReasonCode: SESSION_TAKEN_OVER,
        // [MQTT-3.14.4-2] (5.0) the sender of a DISCONNECT closes the connection: gracefully, so it arrives
        drainsOnClose: true,
        advertisesMaximumPacketSize: true,
        retainedBeforeSuback: false,
        overlap: "one-max-qos",
        retainedToEveryMatchingSubscription: false,
        sessionPolicy: SPEC_SESSION_POLICY,
        mqtt5: SPEC_MQTT5,
      };
  }
}
