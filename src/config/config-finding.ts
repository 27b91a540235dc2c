/** A finding about a broker config: coded data; src/report/config-messages.ts puts it into words. */
export type ConfigFindingCode =
  | "keepalive-backoff-trap"
  | "multiplier-disables-keepalive"
  | "retry-interval-zero"
  | "compliant-client-kicked"
  | "kick-before-spec-deadline"
  | "multiplier-default"
  | "value-invalid"
  | "value-ignored"
  | "value-rejected"
  | "value-coerced"
  | "value-unresolved"
  | "include-not-read"
  | "key-ignored"
  | "key-overridden"
  | "flat-format"
  | "format-forced"
  | "syntax"
  // emqx.conf and mosquitto.conf (emqx-conf.ts, mosquitto-conf.ts): from the brokers' sources
  | "value-unreadable"
  | "emqx-keepalive-backoff"
  | "emqx-multiplier-out-of-range"
  | "emqx-check-interval-ms"
  | "emqx-check-interval-clamped"
  | "emqx-zone-override"
  | "emqx-server-keepalive"
  | "emqx-before-5.7.2"
  | "mosquitto-max-keepalive-small"
  | "mosquitto-max-keepalive-default"
  | "mosquitto-max-keepalive-caps";

export type Severity = "error" | "warning" | "info";

export interface ConfigFinding {
  code: ConfigFindingCode;
  severity: Severity;
  specRef?: string;
  args: Record<string, string | number | null>;
}

/** A multiplier at or above this reads like thousandths (1250 meant as 1.25): clients are practically never kicked. */
export const MULTIPLIER_NEVER_KICKS = 100;

/**
 * NanoMQ counts idle ticks in a `uint16_t ka_refresh` (nmq_mqtt.c `nano_pipe`, 0.21.9 and 0.25.3): past 65535 it
 * wraps to 0, so a client that needs more idle ticks than this before the kick is never kicked at all.
 */
export const NANOMQ_TICK_COUNTER_MAX = 65_535;
