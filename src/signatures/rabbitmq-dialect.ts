import type { LineTemplate, Signature, SignatureId } from "./types.js";

/**
 * RabbitMQ 3.10's MQTT plugin lines, measured on the real RabbitMQ 3.10.8 (test/integration/rabbitmq) at its default
 * file level, info. `{conn}` is RabbitMQ's connection name, `<client ip>:<port> -> <listener ip>:<port>`; the
 * client id is in the accepting line only, tied to the others by the connection's process (logs/rabbitmq-clients.ts).
 */
function rabbitmq(key: string, level: LineTemplate["level"], text: string): LineTemplate {
  return { key, dialect: "rabbitmq", level, text };
}

const RABBITMQ_TEMPLATES: Partial<Record<SignatureId, LineTemplate[]>> = {
  "keepalive-timeout": [rabbitmq("kick", "ERROR", 'closing MQTT connection "{conn}" (keepalive timeout)')],
  // the old connection, written by its own process
  takeover: [
    rabbitmq("collision", "WARN", "MQTT disconnecting client \"{conn}\" with duplicate id '{clientId}'"),
  ],
  // no CONNECT within 10 s
  "connect-timeout": [rabbitmq("nego-timeout", "ERROR", 'closing MQTT connection "{conn}" (login timeout)')],
  // a CONNECT it cannot read: a bad protocol name or level (an MQTT 5 CONNECT is a malformed-packet line instead)
  "bad-connect": [
    rabbitmq("illegal-connect", "ERROR", "MQTT detected a framing error on connection {conn}: {reason}"),
  ],
  // a frame it cannot parse (a PUBLISH without a topic, an MQTT 5 CONNECT's properties); the payload as bytes
  "malformed-packet": [
    rabbitmq(
      "unparseable",
      "ERROR",
      "MQTT cannot parse a frame on connection '{conn}', unparseable payload: {reason}",
    ),
  ],
  // a second CONNECT on the same connection (the connection stays open)
  "protocol-error": [
    rabbitmq(
      "second-connect",
      "WARN",
      'MQTT detected duplicate connect/login attempt for user "{username}", vhost "{vhost}"',
    ),
  ],
  // a FIN or an RST from the client, worded the same
  "peer-closed": [
    rabbitmq("closed", "INFO", 'MQTT connection "{conn}" will terminate because peer closed TCP connection'),
  ],
  // after the client's DISCONNECT
  "client-disconnect": [rabbitmq("disconnected", "INFO", "closing MQTT connection <{pid}> ({conn})")],
  "client-connected": [
    rabbitmq("new-client", "INFO", "accepting MQTT connection <{pid}> ({conn}, client id: {clientId})"),
  ],
};

/** The catalogue with RabbitMQ's lines appended to each signature's. */
export function withRabbitmqDialect(catalogue: readonly Signature[]): Signature[] {
  return catalogue.map((s) => ({ ...s, templates: [...s.templates, ...(RABBITMQ_TEMPLATES[s.id] ?? [])] }));
}
