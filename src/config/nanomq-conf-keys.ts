/** Where each NanoMQ config format keeps the two keepalive settings (docs/broker-facts.md, "NanoMQ's KeepAlive model"). */
export type ConfFormat = "hocon" | "flat";

export interface KeepaliveKeys {
  /** Q: a duration (HOCON) or whole seconds (flat). */
  retryInterval: string;
  /** M: read as a multiplier in both formats (the flat `keepalive_backoff=1250` trap). */
  multiplier: string;
}

export const KEEPALIVE_KEYS: Readonly<Record<ConfFormat, KeepaliveKeys>> = {
  hocon: { retryInterval: "mqtt.retry_interval", multiplier: "mqtt.keepalive_multiplier" },
  flat: { retryInterval: "qos_duration", multiplier: "keepalive_backoff" },
};

/** Last path segments that mean a keepalive setting in one format or the other. */
export const KEEPALIVE_KEY_NAMES = new Set([
  "retry_interval",
  "keepalive_multiplier",
  "qos_duration",
  "keepalive_backoff",
]);

/** The flat format's two keepalive keys. */
export const FLAT_KEEPALIVE_KEYS = new Set(["qos_duration", "keepalive_backoff"]);

/**
 * `mqtt.retry_interval` or `mqtt.keepalive_multiplier`, any case: NanoMQ looks both levels up with cJSON's
 * case-insensitive cJSON_GetObjectItem (conf_ver2.c `hocon_get_obj("mqtt")`, `hocon_read_*_base`).
 */
export function isHoconKeepalivePath(path: string): boolean {
  return /^mqtt\.(retry_interval|keepalive_multiplier)$/i.test(path);
}

/** Top-level keys only the old flat nanomq.conf has (conf.c conf_basic_parse). */
export const FLAT_MARKERS = new Set([
  "qos_duration",
  "keepalive_backoff",
  "url",
  "num_taskq_thread",
  "max_taskq_thread",
  "parallel",
  "property_size",
  "msq_len",
  "daemon",
  "allow_anonymous",
  "max_packet_size",
  "client_max_packet_size",
  "acl_enable",
  "acl_nomatch",
  "enable_ipc_internal",
]);

/** NanoMQ's defaults when a key is absent (conf.c conf_init: qos_duration 10, backoff 1.5; the shipped HOCON file sets the multiplier to 1.25). */
export const NANOMQ_CODE_DEFAULTS = { retryIntervalMs: 10_000, keepaliveMultiplier: 1.5 } as const;
export const NANOMQ_SHIPPED_MULTIPLIER = 1.25;
