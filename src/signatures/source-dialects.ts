import type { Dialect, LineTemplate, Signature, SignatureId, SourceDialect } from "./types.js";

export const SOURCE_DIALECTS: readonly SourceDialect[] = ["emqx", "hivemq", "vernemq"];

export function isSourceDialect(d: Dialect): d is SourceDialect {
  return (SOURCE_DIALECTS as readonly Dialect[]).includes(d);
}

/**
 * Log lines of EMQX 5, HiveMQ CE and VerneMQ, built from the format strings in each broker's source, not from a run
 * (none of the three can be installed here). Which source file each came from is said beside it; the lines in
 * test/fixtures/logs/{emqx,hivemq,vernemq}-*.log are built the same way.
 */

// EMQX 5 (emqx/emqx apps/emqx/src): the connection process logs `?tp(info, terminate, #{reason => Reason})` as it
// ends (emqx_connection.erl terminate/2), Reason = {shutdown, Why}. The text formatter (emqx_logger_textfmt.erl,
// template `[level] msg`) writes the report as `key: value, …` with clientid before `msg` (5.6 on, and 5.0) or after
// it (5.1 – 5.5), `reason` last; the JSON one (emqx_logger_jsonfmt.erl) writes `"msg":"terminate"` before the report's
// fields, `reason` a string of the Erlang term (`~0p`). A connection that never sent CONNECT has no clientid.
const EMQX_TEXT_CLIENT = { pattern: /\bclientid: (.+?)(?:, \w+: |$)/, absent: "<unknown>" } as const;
const EMQX_JSON_CLIENT = { pattern: /"clientid":"((?:[^"\\]|\\.)*)"/, absent: "<unknown>" } as const;

function emqx(key: string, why: string): LineTemplate[] {
  return [
    {
      key,
      dialect: "emqx",
      level: "INFO",
      text: `msg: terminate, {fields}reason: {shutdown,${why}}`,
      clientIdElsewhere: EMQX_TEXT_CLIENT,
    },
    {
      key,
      dialect: "emqx",
      level: "INFO",
      text: `"msg":"terminate",{fields}"reason":"{shutdown,${why}}"`,
      clientIdElsewhere: EMQX_JSON_CLIENT,
    },
  ];
}

// HiveMQ CE event.log (hivemq/hivemq-community-edition src/main/java/com/hivemq/logging/EventLog.java, written with
// logback's `%-24(%d)- %msg%n`): `clientWasDisconnected` with the reason strings of KeepAliveDisconnectService.java
// ("Client was idle for too long"), ConnectHandler.java (ReasonStrings.DISCONNECT_SESSION_TAKEN_OVER, which ends in a
// full stop of its own) and NoConnectIdleHandler.java ("No CONNECT sent in time"); `UNKNOWN` for a missing id.
function hivemq(key: string, text: string): LineTemplate {
  return { key, dialect: "hivemq", level: "DEBUG", text };
}
const HIVEMQ_WAS = "Client ID: {clientId}, IP: {ip} was disconnected. reason:";

// VerneMQ (vernemq/vernemq apps/vmq_server/src/vmq_mqtt_fsm.erl and vmq_mqtt5_fsm.erl): `?LOG_WARNING("client ~p with
// username ~p stopped due to keepalive expired", [SubscriberId, UserName])`, SubscriberId = {MountPoint, ClientId}
// printed by ~p as `{[],<<"id">>}`; INFO instead when `keepalive_as_warning` is off.
function vernemq(key: string, level: LineTemplate["level"], text: string): LineTemplate {
  return { key, dialect: "vernemq", level, text };
}
const VMQ_CLIENT = 'client {{mountpoint},<<"{clientId}">>}';

const SOURCE_TEMPLATES: Partial<Record<SignatureId, LineTemplate[]>> = {
  "keepalive-timeout": [
    ...emqx("kick", "keepalive_timeout"),
    hivemq("kick", `${HIVEMQ_WAS} Client was idle for too long.`),
    vernemq("kick", "WARN", `${VMQ_CLIENT} with username {username} stopped due to keepalive expired`),
  ],
  takeover: [
    ...emqx("collision", "takenover"),
    ...emqx("collision", "discarded"),
    hivemq("collision", `${HIVEMQ_WAS} Another client connected with the same client id..`),
  ],
  "connect-timeout": [
    ...emqx("nego-timeout", "idle_timeout"),
    hivemq("nego-timeout", `${HIVEMQ_WAS} No CONNECT sent in time.`),
  ],
  "peer-closed": [
    ...emqx("closed", "tcp_closed"),
    ...emqx("closed", "ssl_closed"),
    hivemq(
      "closed",
      "Client ID: {clientId}, IP: {ip} disconnected ungracefully from {listener} on port: {listenerPort}.",
    ),
  ],
  "client-disconnect": [
    ...emqx("disconnected", "normal"),
    hivemq("disconnected", "Client ID: {clientId}, IP: {ip} disconnected gracefully."),
    hivemq(
      "disconnected",
      "Client ID: {clientId}, IP: {ip} disconnected gracefully. Reason given by client: {reason}",
    ),
  ],
  "client-connected": [
    hivemq(
      "new-client",
      "Client ID: {clientId}, IP: {ip}, Clean Start: {cleanStart}, Session Expiry: {expiry} connected.",
    ),
  ],
  "protocol-error": [
    vernemq(
      "protocol",
      "WARN",
      `stopped connected session for ${VMQ_CLIENT}, due to unexpected frame type {reason}`,
    ),
  ],
};

/** The catalogue with each signature's source-built lines appended (the native lines keep their order). */
export function withSourceDialects(catalogue: readonly Signature[]): Signature[] {
  return catalogue.map((s) => ({ ...s, templates: [...s.templates, ...(SOURCE_TEMPLATES[s.id] ?? [])] }));
}
