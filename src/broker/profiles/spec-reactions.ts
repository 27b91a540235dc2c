import type { ViolationKind } from "../wire/violation.js";
import { disconnectBytes, type ReactFn } from "./reaction.js";

/** Violations that are protocol errors (0x82) rather than malformed packets (0x81). */
const PROTOCOL_ERRORS: ReadonlySet<ViolationKind> = new Set([
  "publish-qos1-packet-id-0",
  "publish-wildcard-topic",
  "publish-empty-topic",
  "second-connect",
  "server-packet",
]);

const PACKET_TOO_LARGE = 0x95;

/**
 * [MQTT-4.8.0-1] (3.1.1) / [MQTT-4.13.1-1] (5.0): on a malformed packet or protocol error the server closes the
 * network connection; in 5.0 it first sends DISCONNECT 0x81 (malformed) or 0x82 (protocol error).
 */
export const specReact: ReactFn = (violation, context) => {
  if (violation.kind === "garbage-before-connect") {
    // [MQTT-3.1.0-1] the first packet from the client must be CONNECT
    return {
      action: "close",
      cause: "malformed",
      entries: [{ id: "bad-connect", key: "illegal-connect", args: { ip: context.ip, port: context.port } }],
    };
  }
  if (violation.kind === "packet-too-large") {
    // (5.0) §3.2.2.3.6: a packet over the Maximum Packet Size the server sent in CONNACK is a protocol error,
    // answered with DISCONNECT 0x95 (packet too large); 3.1.1 has no such limit, so the close is all it gets.
    return {
      action: "close",
      cause: "malformed",
      entries: [{ id: "protocol-error", key: "protocol", args: { clientId: context.clientId ?? "" } }],
      ...(context.protocolVersion === 5 ? { sendFirst: disconnectBytes(PACKET_TOO_LARGE) } : {}),
    };
  }
  const protocol = PROTOCOL_ERRORS.has(violation.kind);
  const clientId = context.clientId ?? "";
  return {
    action: "close",
    cause: "malformed",
    entries: [
      protocol
        ? { id: "protocol-error", key: "protocol", args: { clientId } }
        : { id: "malformed-packet", key: "malformed", args: { clientId } },
    ],
    ...(context.protocolVersion === 5 ? { sendFirst: disconnectBytes(protocol ? 0x82 : 0x81) } : {}),
  };
};
