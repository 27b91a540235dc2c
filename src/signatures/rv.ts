import type { SignatureId } from "./types.js";

/**
 * NanoMQ's `rv` values (a uint8) in `parse error rv:` / `recv_error rv:` / `connect nego error rv:` lines, from
 * docs/broker-facts.md. 139 follows EVERY recv error: it says "the pipe closed", and the line before it says why.
 */
export interface RvMeaning {
  rv: number;
  hex: string;
  name: string;
  meaning: string;
  /** The line that precedes it in the log, telling the real cause. */
  precededBy: string;
  /** The incident kinds it ends. */
  kinds: string[];
}

export const RV_MEANINGS: readonly RvMeaning[] = [
  {
    rv: 139,
    hex: "0x8B",
    name: "server shutting down (used internally, never sent)",
    meaning:
      "NanoMQ maps every connection reset/shutdown/close to 139, so it follows every recv error: after a keepalive kick, a reset, a takeover or a rejected PUBLISH. By itself it means neither a parse problem nor a TCP RST.",
    precededBy:
      "`nni aio recv error!! Object closed` (the broker closed the pipe: keepalive kick, takeover, rejected PUBLISH) or `nni aio recv error!! Connection shutdown` (the peer went away)",
    kinds: ["keepalive-timeout", "peer-gone", "takeover", "rejected-publish", "broker-closed"],
  },
  {
    rv: 129,
    hex: "0x81",
    name: "malformed packet",
    meaning:
      "The client sent a packet NanoMQ could not decode: a zero-length PUBLISH, a SUBSCRIBE without a topic filter, an invalid packet type.",
    precededBy: "`Invalid Packet Type: Connection closed.`",
    kinds: ["malformed-packet"],
  },
  {
    rv: 130,
    hex: "0x82",
    name: "protocol error",
    meaning: "The client broke a protocol rule: PUBLISH with QoS 3, a QoS>0 PUBLISH with packet id 0.",
    precededBy: "`Wrong QoS level!` or `0 Packet ID in QoS Message!`",
    kinds: ["malformed-packet"],
  },
  {
    rv: 17,
    hex: "0x11",
    name: "NNG_EMSGSIZE",
    meaning: "The remaining length of a packet ran to a 5th byte (at most 4 are allowed).",
    precededBy: "`MALFORMED_PACKET received.`",
    kinds: ["malformed-packet"],
  },
  {
    rv: 5,
    hex: "0x05",
    name: "NNG_ETIMEDOUT",
    meaning:
      "In `connect nego error rv:(5)`: the TCP connection opened but no CONNECT arrived in time (15 s).",
    precededBy: "`nego aio error: Timed out`",
    kinds: ["connect-timeout"],
  },
  {
    rv: 31,
    hex: "0x1F",
    name: "NNG_ECONNSHUT",
    meaning:
      "In `connect nego error rv:(31)` / `rv: Connection shutdown(31)`: the TCP connection closed before a CONNECT arrived (a load-balancer health check, a port scanner, a client that gave up). Not a timeout.",
    precededBy: "`nego aio error: Connection shutdown`",
    kinds: ["closed-before-connect"],
  },
  {
    rv: 13,
    hex: "0x0D",
    name: "NNG_EPROTO",
    meaning:
      "In `connect nego error rv:(13)` / `rv: Protocol error(13)`: the first packet was not a valid CONNECT (another packet type, a broken or too short remaining length).",
    precededBy:
      "`Illegal CONNECT Packet type <n>` or `Remaining length parse error` (or nothing: a CONNECT too short)",
    kinds: ["bad-connect"],
  },
  {
    rv: 153,
    hex: "0x99",
    name: "payload format invalid (MQTT 5 reason code, used internally)",
    meaning:
      "In 0.21.9's `connect nego error rv: Unknown error #153(153)`: the remaining length of the first packet could not be read.",
    precededBy: "nothing at warn",
    kinds: ["bad-connect"],
  },
  {
    rv: 149,
    hex: "0x95",
    name: "packet too large",
    meaning: "A packet larger than max_packet_size (0.21.9 closes the connection; 0.25.3 accepts it).",
    precededBy: "`Size of packet exceeds limitation: 0x95`",
    kinds: ["malformed-packet"],
  },
];

/** The rvs of `connect nego error rv:` lines, and the signature each one means (the line's text alone does not say). */
const NEGO_SIGNATURE: Readonly<Record<number, SignatureId>> = {
  5: "connect-timeout",
  31: "closed-before-connect",
};

/**
 * The signature a `connect nego error` line stands for, by its rv: 5 timed out, 31 closed before CONNECT, anything
 * else (13, 153, a CONNECT the broker refused) a bad CONNECT. NanoMQ prints the same text for all of them.
 */
export function negoSignature(rv: number): SignatureId {
  return NEGO_SIGNATURE[rv] ?? "bad-connect";
}

/** true for a NanoMQ `connect nego error rv…` line's match, whichever signature its template sits under. */
export function isNegoRv(match: { dialect: string; key: string }): boolean {
  return match.dialect === "nanomq" && match.key === "nego-rv";
}

export function rvMeaning(rv: number): RvMeaning | undefined {
  return RV_MEANINGS.find((m) => m.rv === rv);
}
