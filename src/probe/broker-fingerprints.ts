import type { IConnackPacket } from "mqtt-packet";
import { brokerProfile } from "../broker/profiles/broker-profile.js";
import { DEFAULT_PROFILE_OPTIONS, type NanomqVersion } from "../core/profile.js";
import { MODEL_EVIDENCE, SOURCE_MODEL_DEFAULTS, type SourceModel } from "../keepalive/predict-source.js";

/**
 * What the probe can tell a broker by (identify.ts). Every number comes from where it is already stated: the
 * CONNACK properties and takeover replies from the broker profiles (measured on NanoMQ 0.21.9/0.25.3 and mosquitto
 * 2.0.11), the keepalive rules from src/keepalive (measured on aedes, RabbitMQ, ejabberd; from the source for EMQX,
 * HiveMQ, VerneMQ: MODEL_EVIDENCE). Only the facts no model holds are written here, each with its evidence.
 */
export const IDENT_BROKERS = [
  "nanomq",
  "mosquitto",
  "rabbitmq",
  "aedes",
  "ejabberd",
  "emqx",
  "hivemq",
  "vernemq",
] as const;
export type IdentBroker = (typeof IDENT_BROKERS)[number];

/** How mqdiag knows a broker's behaviour: run here, or read from its source only. */
export function brokerEvidence(b: IdentBroker): "measured" | "from-source" {
  return b === "nanomq" || b === "mosquitto" ? "measured" : MODEL_EVIDENCE[b];
}

/**
 * Brokers that refuse an MQTT 5 CONNECT and accept 3.1.1 (measured: RabbitMQ 3.10 closes without a CONNACK,
 * test/integration/rabbitmq/side-by-side.test.ts; aedes 1.2.0 speaks 3.1.1 only, test/integration/aedes/).
 * Every other broker here speaks MQTT 5.
 */
export const MQTT311_ONLY: readonly IdentBroker[] = ["rabbitmq", "aedes"];

/**
 * The reply an MQTT 5 client that is taken over gets, where known: NanoMQ's and mosquitto's from their profiles
 * (null = a plain close), ejabberd's measured (DISCONNECT 0x8E, test/integration/ejabberd/side-by-side.test.ts).
 * Brokers not listed are not known (EMQX, HiveMQ, VerneMQ: not read) or speak 3.1.1 only.
 */
export function takeoverReplies(): Partial<Record<IdentBroker, number | null>> {
  return {
    nanomq: brokerProfile({ ...DEFAULT_PROFILE_OPTIONS, profile: "nanomq" }).takeoverReasonCode,
    mosquitto: brokerProfile({ ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" }).takeoverReasonCode,
    ejabberd: 0x8e,
  };
}

/** A CONNACK property set as one broker build sends it (order included), from its profile. */
export interface ConnackPrint {
  broker: IdentBroker;
  /** Which builds send exactly this set: "0.25.3", "0.21.9", "2.0.11". */
  build: string;
  properties: NonNullable<IConnackPacket["properties"]>;
}

/** Properties whose value is the broker's configuration, not its identity: compared by position only. */
export const CONFIGURED_PROPERTIES: ReadonlySet<string> = new Set([
  "maximumPacketSize",
  "serverKeepAlive",
  "sessionExpiryInterval",
]);

/**
 * ejabberd 23.01's mod_mqtt at its defaults (no embedded profile holds it), measured by the probe in
 * test/integration/ejabberd/side-by-side.test.ts: `22 00 64 2a 00 11 00 00 00 00 13 <client's keepalive>` —
 * Topic Alias Maximum 100, no shared subscriptions, Session Expiry Interval 0, Server Keep Alive echoing the
 * client's own keepalive.
 */
const EJABBERD_CONNACK = (
  serverKeepAlive: number | undefined,
): NonNullable<IConnackPacket["properties"]> => ({
  topicAliasMaximum: 100,
  sharedSubscriptionAvailable: false,
  sessionExpiryInterval: 0,
  ...(serverKeepAlive !== undefined ? { serverKeepAlive } : {}),
});

/** The measured CONNACK property sets (ejabberd's above, the others from their profiles); `serverKeepAlive` as the CONNACK carried it (mosquitto inserts it). */
export function connackPrints(serverKeepAlive: number | undefined): ConnackPrint[] {
  const nanomq = (build: string, v: NanomqVersion): ConnackPrint => ({
    broker: "nanomq",
    build,
    properties:
      brokerProfile({ ...DEFAULT_PROFILE_OPTIONS, profile: "nanomq", nanomqVersion: v }).connackProperties?.(
        0,
        serverKeepAlive,
      ) ?? {},
  });
  const mosquitto = brokerProfile({ ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" });
  return [
    nanomq("0.25.3", [0, 25, 3]),
    nanomq("0.21.9", [0, 21, 9]),
    {
      broker: "mosquitto",
      build: "2.0.11",
      properties: mosquitto.connackProperties?.(0, serverKeepAlive) ?? {},
    },
    { broker: "ejabberd", build: "23.01", properties: EJABBERD_CONNACK(serverKeepAlive) },
  ];
}

/** The fitted keepalive model that names a measured broker whose model is a family (a tick, a sweep). */
export const FIT_MODEL_BROKER: Readonly<Partial<Record<"tick" | "sweep", IdentBroker>>> = {
  tick: "nanomq",
  sweep: "mosquitto",
};

/** The exact-or-windowed keepalive rules of the other brokers, each a src/keepalive model with its defaults. */
export function sourceModels(): { broker: IdentBroker; label: string; model: SourceModel }[] {
  return Object.entries(SOURCE_MODEL_DEFAULTS).map(([label, model]) => ({
    broker: model.model === "emqx-legacy" ? "emqx" : model.model,
    label,
    model,
  }));
}
