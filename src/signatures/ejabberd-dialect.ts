import type { LineTemplate, Signature, SignatureId } from "./types.js";

/**
 * ejabberd's mod_mqtt lines, measured on the real ejabberd 23.01 (test/integration/ejabberd/side-by-side.test.ts)
 * at its default log level, info; the two marked DEBUG are written only at `loglevel: debug` (measured once there,
 * docs/brokers.md). processone/ejabberd src/mod_mqtt_session.erl (23.01) explains them: `unregister_session/2` and
 * `log_disconnection/2` write `Closing MQTT session for <jid> from <ip>: <reason>` and `Rejected MQTT connection
 * from <ip>: <reason>`, the reason worded by `format_error/1`. The client id is the resource of the session's JID
 * `<user>@<server>/<client id>`: the MQTT user name (or the client id when there is none) at the virtual host.
 */
function ejabberd(key: string, level: LineTemplate["level"], text: string): LineTemplate {
  return { key, dialect: "ejabberd", level, text };
}
const SESSION = "Closing MQTT session for {username}@{server}/{clientId} from {ip}:";
const REJECTED = "Rejected MQTT connection from {ip}:";

const EJABBERD_TEMPLATES: Partial<Record<SignatureId, LineTemplate[]>> = {
  // a keepalive kick (`idle_connection`), info
  "keepalive-timeout": [ejabberd("kick", "INFO", `${SESSION} Idle connection`)],
  // the old connection of a takeover (`{replaced, Pid}`, worded `Replaced by <0.462.0> at nonode@nohost`): debug
  // only, so an info log shows no takeover at all
  takeover: [ejabberd("collision", "DEBUG", `${SESSION} Replaced by {reason}`)],
  // no CONNECT within 30 s: debug only
  "connect-timeout": [ejabberd("nego-timeout", "DEBUG", `${REJECTED} Idle connection`)],
  // anything but a valid CONNECT first (a broken remaining length, another packet type, an unknown version)
  "bad-connect": [ejabberd("illegal-connect", "WARN", `${REJECTED} Protocol error: {reason}`)],
  // a packet mqtt_codec cannot decode, after CONNECT (`Malformed id or payload of PUBLISH packet`, …)
  "malformed-packet": [ejabberd("malformed", "WARN", `${SESSION} Protocol error: {reason}`)],
  // a FIN or an RST from the client, both worded `connection closed`
  "peer-closed": [ejabberd("closed", "INFO", `${SESSION} Connection failed: {reason}`)],
  "client-disconnect": [
    ejabberd("disconnected", "INFO", `${SESSION} Peer disconnected with reason: Normal disconnection`),
  ],
  "client-connected": [
    ejabberd("new-client", "INFO", "Opened MQTT session for {username}@{server}/{clientId} from {ip}"),
  ],
};

/** The catalogue with ejabberd's lines appended to each signature's. */
export function withEjabberdDialect(catalogue: readonly Signature[]): Signature[] {
  return catalogue.map((s) => ({ ...s, templates: [...s.templates, ...(EJABBERD_TEMPLATES[s.id] ?? [])] }));
}
