/**
 * NanoMQ's `rv` values (a uint8) in `parse error rv:` / `recv_error rv:` / `connect nego error rv:` lines, from
 * signatures.md. 139 follows EVERY recv error: it says "the pipe closed", and the line before it says why.
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
];

export function rvMeaning(rv: number): RvMeaning | undefined {
  return RV_MEANINGS.find((m) => m.rv === rv);
}
