import { type NanomqVersion, versionAtLeast } from "../../core/profile.js";
import { NANOMQ_RV, negoRv } from "../dialects/nanomq.js";
import type { ViolationKind } from "../wire/violation.js";
import { disconnectBytes, type ReactFn, type Reaction } from "./reaction.js";

/** nng's NNG_EMSGSIZE, printed after "MALFORMED_PACKET received." */
const RV_MSGSIZE = 17;
/** 0x81 malformed packet. */
const RV_MALFORMED = 129;
/** 0x82 protocol error. */
const RV_PROTOCOL = 130;
/** 0x95 packet too large (0.21.9, after "Size of packet exceeds limitation: 0x95"). */
const RV_TOO_LARGE = 149;

/**
 * Where 0.21.9 and 0.25.3 were measured to differ, 0.25.3's behaviour starts at 0.25.0: a GUESS (no version in
 * between was built), the same boundary as the catalogue's wording eras.
 */
const V0_25: NanomqVersion = [0, 25, 0];

/** Packet type 0 and AUTH on 3.1.1: no line, no answer, stays open (measured on both builds). */
const SILENT: ReadonlySet<ViolationKind> = new Set(["packet-type-0", "auth-on-v311"]);

const closeWith = (key: string, rv: number): Reaction => ({
  action: "close",
  cause: "malformed",
  entries: [{ id: "malformed-packet", key }],
  rv,
});

const hex2 = (byte: number) => byte.toString(16);

/**
 * NanoMQ's reactions, as the real 0.21.9 and 0.25.3 react at `warn` (test/integration/nanomq/fidelity.test.ts):
 * where the two differ, `version` picks.
 */
export function nanomqReact(version: NanomqVersion): ReactFn {
  const v025 = versionAtLeast(version, V0_25);
  return (violation, context) => {
    if (SILENT.has(violation.kind)) return { action: "ignore" };
    switch (violation.kind) {
      case "pingreq-flags":
        // 0.21.9 answers only the exact byte C0 (and ignores C1: no PINGRESP, no line); 0.25.3 answers it.
        return v025 ? { action: "reply", reply: Buffer.from([0xd0, 0x00]) } : { action: "ignore" };
      case "second-connect":
        // 0.21.9 accepts a second CONNECT silently; 0.25.3 closes: "Got invalid CONNECT from client!", rv 129.
        return v025 ? closeWith("invalid-connect", RV_MALFORMED) : { action: "ignore" };
      case "server-packet":
        // SUBACK, UNSUBACK, PINGRESP from a client: ignored by both builds (measured).
        if (violation.packetType !== 2) return { action: "ignore" };
        // A client's CONNACK: 0.21.9 answers it with a CONNACK of its own and stays open; 0.25.3 closes.
        return v025
          ? closeWith("invalid-connack", RV_MALFORMED)
          : { action: "reply", reply: Buffer.from([0x20, 0x02, 0x00, 0x00]) };
      case "remaining-length-overflow":
        if (context.clientId === null) {
          // In the CONNECT itself: a nego failure. 0.25.3: "Remaining length parse error" (WARN), rv:(13);
          // 0.21.9: only `connect nego error rv: Unknown error #153(153)`.
          return {
            action: "close",
            cause: "malformed",
            entries: v025
              ? [
                  { id: "bad-connect", key: "remaining-length" },
                  negoRv(version, "bad-connect", NANOMQ_RV.negoProtocol),
                ]
              : [negoRv(version, "bad-connect", NANOMQ_RV.negoBadLength)],
          };
        }
        return closeWith("remaining-length", RV_MSGSIZE);
      case "packet-too-large":
        // Over max_packet_size. 0.21.9: "Size of packet exceeds limitation: 0x95", rv 149. 0.25.3 has the check
        // commented out and takes the packet: the embedded broker's own limit (maxPacketBytes) still applies, so a
        // 0.25 profile closes silently with nng's "message too large" where a real 0.25.3 would not close at all.
        return v025
          ? { action: "close", cause: "malformed", entries: [], rv: RV_MSGSIZE }
          : closeWith("oversize", RV_TOO_LARGE);
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
        if (context.protocolVersion === 5) {
          // MQTT 5 (measured): the bad topic throws the property parser off. 0.21.9 then fails the decode (0x82);
          // 0.25.3 checks UTF-8 first and ends with "Topic is NULL" (0x80).
          return {
            action: "close",
            cause: "rejected-publish",
            entries: v025
              ? [
                  { id: "rejected-publish", key: "utf8-check" },
                  { id: "rejected-publish", key: "property-len" },
                  { id: "rejected-publish", key: "topic-null" },
                ]
              : [
                  { id: "rejected-publish", key: "property-len" },
                  { id: "rejected-publish", key: "decode-failed" },
                ],
            sendFirst: disconnectBytes(v025 ? 0x80 : 0x82),
          };
        }
        return {
          action: "close",
          cause: "rejected-publish",
          // "UTF-8 check failed!" first on 0.25.3 (the catalogue drops it for older eras).
          entries: [
            { id: "rejected-publish", key: "utf8-check" },
            { id: "rejected-publish", key: "topic-null" },
          ],
          sendFirst: disconnectBytes(0x80),
        };
      case "publish-empty-topic":
        return {
          action: "close",
          cause: "rejected-publish",
          entries: [{ id: "rejected-publish", key: "topic-null" }],
          sendFirst: disconnectBytes(0x80),
        };
      case "subscribe-empty": {
        const id = violation.packetId ?? 0;
        // Not closed by either build (measured): 0.21.9 logs "NOT utf8-encoded string OR null string." and answers
        // SUBACK 0x80 (MQTT 5: 0x8F topic filter invalid); 0.25.3 logs nothing and grants QoS 0.
        const v5 = context.protocolVersion === 5;
        const code = v025 ? 0x00 : v5 ? 0x8f : 0x80;
        return {
          action: "reply",
          entries: v025 ? [] : [{ id: "malformed-packet", key: "null-string" }],
          reply: Buffer.from(
            v5
              ? [0x90, 0x04, (id >> 8) & 0xff, id & 0xff, 0x00, code]
              : [0x90, 0x03, (id >> 8) & 0xff, id & 0xff, code],
          ),
        };
      }
      case "garbage-before-connect":
        return {
          action: "close",
          cause: "malformed",
          entries: [
            // NanoMQ prints the whole first byte with %x: "GET …" is "47".
            { id: "bad-connect", key: "illegal-connect", args: { packetType: hex2(violation.packetType) } },
            negoRv(version, "bad-connect", NANOMQ_RV.negoProtocol),
          ],
        };
      default:
        // publish-empty (and reserved flags, anything undecodable)
        return closeWith("invalid-type", RV_MALFORMED);
    }
  };
}
