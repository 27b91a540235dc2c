import type { ConfProblem } from "./conf-scan.js";

/**
 * A finding about a broker config: coded data, a union keyed by `code`, each code with its own `args`;
 * src/report/config-messages.ts puts it into words. The JSON report writes `args` as built (key order included).
 */
export type ConfigFinding =
  // NanoMQ: its two keepalive settings and the kick they give
  | Found<"retry-interval-zero", "error", { key: string | null; value: string | null; line: number | null }>
  | Found<"keepalive-backoff-trap" | "multiplier-disables-keepalive", "error", MultiplierTrapArgs>
  | Found<"compliant-client-kicked", "error", { keepaliveS: number; largestSafeIntervalMs: number }>
  | Found<
      "kick-before-spec-deadline",
      "info",
      { keepaliveS: number; earliestKickMs: number; specDeadlineMs: number }
    >
  | Found<"multiplier-default", "info", { key: string; using: number; shipped: number }>
  // NanoMQ: how its readers take the file
  | Found<"value-invalid", "warning", EntryArgs & { readAs: 0 }>
  | Found<"value-ignored", "warning", EntryArgs & { using: number; why: IgnoredWhy }>
  | Found<"value-rejected", "error", EntryArgs>
  | Found<"value-coerced", "warning", EntryArgs & { readAs: number; unit?: "ms" }>
  | Found<"value-unresolved", "error", EntryArgs & { using: number }>
  | Found<"include-not-read", "warning", { line: number; target: string }>
  | Found<"key-ignored", "warning", KeyIgnoredArgs>
  | Found<"key-overridden", "warning", EntryArgs & { usedLine: number; format: "hocon" | "flat" }>
  | Found<"flat-format", "info", { line: number | null; key: string | null }>
  | Found<"format-forced", "warning", { line: number; key: string | null }>
  | Found<"syntax", "warning", { line: number; problem: ConfProblem }>
  // emqx.conf and mosquitto.conf (emqx-conf.ts, mosquitto-conf.ts): from the brokers' sources
  | Found<"value-unreadable", "error", EntryArgs & { broker: "emqx" | "mosquitto" }>
  | Found<"emqx-keepalive-backoff", Severity, EmqxBackoffArgs>
  | Found<"emqx-multiplier-out-of-range", "error", { value: number; min: number; max: number }>
  | Found<"emqx-check-interval-ms", "warning", EntryArgs>
  | Found<"emqx-check-interval-clamped", "info", { configuredMs: number; keepalives: string }>
  | Found<"emqx-zone-override", "info", EntryArgs>
  | Found<"emqx-server-keepalive", "info", KickSpanArgs & { value: number; line: number | null }>
  | Found<"emqx-before-5.7.2", "info", { multiplier: number }>
  | Found<"mosquitto-max-keepalive-small", Severity, { value: number; line: number }>
  | Found<"mosquitto-max-keepalive-default", "info", NoArgs>
  | Found<"mosquitto-max-keepalive-caps", "warning", MosquittoCapsArgs>;

export type ConfigFindingCode = ConfigFinding["code"];

export type Severity = "error" | "warning" | "info";

interface Found<Code extends string, S extends Severity, Args> {
  code: Code;
  severity: S;
  specRef?: string;
  args: Args;
}

/** `args: {}`. */
export type NoArgs = Readonly<Record<string, never>>;

/** A key as written in the file: its name, its raw value and its line. */
export interface EntryArgs {
  key: string;
  value: string;
  line: number;
}

/** Why NanoMQ's HOCON reader skips a value (the message words each). */
export type IgnoredWhy = "bare-number" | "not-a-number" | "not-positive";

/** A multiplier read as thousandths (1250 meant as 1.25): when a client is kicked with it. */
export interface MultiplierTrapArgs {
  key: string | null;
  value: string | null;
  line: number | null;
  multiplier: number;
  likelyMeant: number;
  keepaliveS: number | null;
  kickAfterMs: number | null;
  /** The smallest keepalive NanoMQ's 16-bit idle-tick counter never kicks (null: none within its range). */
  neverFromKeepaliveS: number | null;
}

export interface KeyIgnoredArgs {
  key: string;
  line: number;
  format: "hocon" | "flat";
  /** The keys NanoMQ reads in this format instead. */
  reads: string;
  /** 1 when the key is one of the flat format's (so --old-conf would read it), else 0. */
  flatKey: 0 | 1;
}

export interface EmqxBackoffArgs {
  key: string;
  value: string | null;
  line: number | null;
  multiplierLine: number | null;
  /** keepalive_multiplier when the file sets it too. */
  multiplier: number | null;
  effective: number;
}

/** When a client is kicked after its last packet (ms; null when never). */
export interface KickSpanArgs {
  minMs: number | null;
  maxMs: number | null;
}

export interface MosquittoCapsArgs extends KickSpanArgs {
  value: number;
  line: number | null;
  /** The capped keepalives, as a list ("120, 300"). */
  keepalives: string;
}

/** A multiplier at or above this reads like thousandths (1250 meant as 1.25): clients are practically never kicked. */
export const MULTIPLIER_NEVER_KICKS = 100;

/**
 * NanoMQ counts idle ticks in a `uint16_t ka_refresh` (nmq_mqtt.c `nano_pipe`, 0.21.9 and 0.25.3): past 65535 it
 * wraps to 0, so a client that needs more idle ticks than this before the kick is never kicked at all.
 */
export const NANOMQ_TICK_COUNTER_MAX = 65_535;
