import type { SpecRef } from "./types.js";

/** The spec rules the explanations cite. Rule numbers differ between the 3.1.1 and 5.0 texts: each says which. */
export const SPEC = {
  pingWithinKeepalive: {
    rule: "MQTT-3.1.2-23",
    version: "3.1.1",
    says: "the client keeps the gap between its packets within Keep Alive, sending PINGREQ when idle",
  },
  kickAfter1_5: {
    rule: "MQTT-3.1.2-24",
    version: "3.1.1",
    says: "Keep Alive non-zero and nothing received within 1.5 × Keep Alive: the server MUST disconnect",
  },
  kickAfter1_5v5: {
    rule: "MQTT-3.1.2-22",
    version: "5.0",
    says: "the same 1.5 × Keep Alive rule in MQTT 5 (reason code 0x8D Keep Alive timeout)",
  },
  serverKeepAlive: {
    rule: "MQTT-3.1.2-21",
    version: "5.0",
    says: "a Server Keep Alive property (0x13) in CONNACK overrides the client's value",
  },
  pingresp: { rule: "MQTT-3.12.4-1", version: "3.1.1", says: "the server MUST answer PINGREQ with PINGRESP" },
  malformedClose: {
    rule: "MQTT-4.8.0-1",
    version: "3.1.1",
    says: "on a malformed packet or protocol violation the receiver closes the network connection",
  },
  malformedCloseV5: {
    rule: "MQTT-4.13.1-1",
    version: "5.0",
    says: "on a malformed packet or protocol error the receiver closes the connection (may send DISCONNECT 0x81/0x82 first)",
  },
  takeover: {
    rule: "MQTT-3.1.4-2",
    version: "3.1.1",
    says: "a second connection with the same client id makes the server disconnect the existing one (MQTT 5: DISCONNECT 0x8E)",
  },
  connectFirst: {
    rule: "MQTT-3.1.0-1",
    version: "3.1.1",
    says: "the first packet a client sends on a new connection MUST be CONNECT",
  },
  noWildcardInTopicName: {
    rule: "MQTT-3.3.2-2",
    version: "3.1.1",
    says: "the topic name of a PUBLISH MUST NOT contain wildcard characters",
  },
  utf8: {
    rule: "MQTT-1.5.3-1",
    version: "3.1.1",
    says: "ill-formed UTF-8 in a string: the receiver closes the network connection",
  },
} as const satisfies Record<string, SpecRef>;
