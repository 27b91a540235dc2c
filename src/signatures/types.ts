/**
 * The signature catalogue's shape. One catalogue serves both the embedded broker (which renders these templates
 * into log lines) and the classifier (which compiles the same templates into patterns), so the broker's wording
 * and the classifier's patterns cannot drift apart.
 */
export type Dialect = "nanomq" | "mosquitto" | "spec" | "ejabberd" | "rabbitmq" | SourceDialect;
/** Log dialects built from a broker's source (its format strings), not from a run: see source-dialects.ts. */
export type SourceDialect = "emqx" | "hivemq" | "vernemq";
export type LogLevel = "DEBUG" | "INFO" | "NOTICE" | "WARN" | "ERROR";

export type SignatureId =
  | "keepalive-timeout"
  | "recv-error"
  | "parse-error"
  | "retain-decode-failure"
  | "takeover"
  | "connect-timeout"
  | "closed-before-connect"
  | "bad-connect"
  | "malformed-packet"
  | "protocol-error"
  | "rejected-publish"
  | "peer-closed"
  | "client-disconnect"
  | "client-connected"
  | "client-offline";

/** Placeholders a template may use, in `{name}` form. */
export interface LineArgs {
  clientId?: string;
  pipeId?: number;
  rv?: number;
  reason?: string;
  ip?: string;
  port?: number;
  topic?: string;
  len?: number;
  /** NanoMQ: the first byte of a connection, as its `%x` prints it (hex, e.g. "47" for "GET"). */
  packetType?: number | string;
  protocol?: number;
  clean?: number;
  keepalive?: number;
  username?: string;
  silentMs?: number;
  limitMs?: number;
  /** mosquitto: the listener port a connection arrived on. */
  listenerPort?: number;
}

/**
 * One wording of one signature in one dialect. `key` names the event the broker renders (stable across eras);
 * `since`/`until` bound the NanoMQ versions that print this wording (inclusive).
 */
export interface LineTemplate {
  key: string;
  dialect: Dialect;
  level: LogLevel;
  text: string;
  /** NanoMQ only: the C function and source file that print the line (console format shows the function). */
  func?: string;
  file?: string;
  since?: readonly [number, number, number];
  until?: readonly [number, number, number];
  /**
   * The client id is elsewhere in the line, before or after the message depending on the broker's version (EMQX's
   * report fields): `pattern`'s first group; `absent` when the line has none (a connection without CONNECT).
   */
  clientIdElsewhere?: { pattern: RegExp; absent: string };
}

export interface Signature {
  id: SignatureId;
  title: string;
  templates: LineTemplate[];
}

/** A spec rule, always with the version of the text its number comes from (numbers differ between 3.1.1 and 5.0). */
export interface SpecRef {
  rule: string;
  version: "3.1.1" | "5.0";
  says: string;
}

/** The broker a fix applies to: its own settings and behaviour, or `any` (the client, the network). */
export type FixBroker = "nanomq" | "mosquitto" | "ejabberd" | "rabbitmq" | SourceDialect | "any";

/**
 * One thing to change, with the config key and its unit when it is a setting. `code` names the fix (tests and
 * JSON readers match it, never the prose); `broker` says whose lever it is, so a mosquitto log is not told to
 * tune NanoMQ's keepalive_multiplier.
 */
export interface Fix {
  code: string;
  broker: FixBroker;
  change: string;
  configKey?: string;
  unit?: string;
}

/** What a signature or an incident kind means and what to do about it: data, rendered by src/report. */
export interface Explanation {
  id: string;
  title: string;
  meaning: string;
  causes: string[];
  checks: string[];
  fixes: Fix[];
  specRefs: SpecRef[];
  /** The `mqdiag scenario` that reproduces it, when one does. */
  scenario?: string;
}
