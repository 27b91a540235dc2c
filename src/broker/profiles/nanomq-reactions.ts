import { NANOMQ_RV } from "../dialects/nanomq.js";
import type { ViolationKind } from "../wire/violation.js";
import { disconnectBytes, type ReactFn, type Reaction } from "./reaction.js";

/** nng's NNG_EMSGSIZE, printed after "MALFORMED_PACKET received." */
const RV_MSGSIZE = 17;
/** 0x81 malformed packet. */
const RV_MALFORMED = 129;
/** 0x82 protocol error. */
const RV_PROTOCOL = 130;

const SILENT: ReadonlySet<ViolationKind> = new Set([
  "packet-type-0",
  "auth-on-v311",
  "second-connect",
  "server-packet",
  // NanoMQ ignores a PINGREQ with flag bits set: no PINGRESP, no line, stays open.
  "pingreq-flags",
]);

const closeWith = (key: string, rv: number): Reaction => ({
  action: "close",
  cause: "malformed",
  entries: [{ id: "malformed-packet", key }],
  rv,
});

/** NanoMQ's reactions, row by row of signatures.md "Malformed packets". */
export const nanomqReact: ReactFn = (violation) => {
  if (SILENT.has(violation.kind)) return { action: "ignore" };
  switch (violation.kind) {
    case "remaining-length-overflow":
      return closeWith("remaining-length", RV_MSGSIZE);
    case "packet-too-large":
      // Over max_packet_size: nng's "message too large" (NNG_EMSGSIZE) close. signatures.md documents no
      // complaint line for it, so only the rv is printed.
      return { action: "close", cause: "malformed", entries: [], rv: RV_MSGSIZE };
    case "publish-qos3":
      return closeWith("qos", RV_PROTOCOL);
    case "publish-qos1-packet-id-0":
      return closeWith("packet-id-0", RV_PROTOCOL);
    case "publish-wildcard-topic":
      return {
        action: "close",
        cause: "rejected-publish",
        entries: [
          {
            id: "rejected-publish",
            key: "topic-protocol",
            args: { topic: violation.topic ?? "", len: violation.topicBytes ?? 0 },
          },
          { id: "rejected-publish", key: "decode-failed" },
        ],
        // NanoMQ sends a v5-style DISCONNECT even on 3.1.1 connections.
        sendFirst: disconnectBytes(0x82),
      };
    case "publish-bad-utf8-topic":
    case "publish-empty-topic":
      return {
        action: "close",
        cause: "rejected-publish",
        entries: [{ id: "rejected-publish", key: "topic-null" }],
        sendFirst: disconnectBytes(0x80),
      };
    case "garbage-before-connect":
      return {
        action: "close",
        cause: "malformed",
        entries: [
          { id: "bad-connect", key: "illegal-connect", args: { packetType: violation.packetType } },
          { id: "bad-connect", key: "nego-rv", args: { rv: NANOMQ_RV.negoProtocol } },
        ],
      };
    default:
      // publish-empty, subscribe-empty, reserved flags, anything undecodable
      return closeWith("invalid-type", RV_MALFORMED);
  }
};
