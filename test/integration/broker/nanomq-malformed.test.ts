import { describe, expect, it } from "vitest";
import type { NanomqVersion } from "../../../src/core/profile.js";
import { NANOMQ_LATEST } from "../../../src/core/profile.js";
import { MALFORMED_VARIANTS } from "../../../src/fleet/malformed.js";
import { broker, connectBytes, raw, until } from "./helpers.js";
import { messagesSince } from "./lines.js";

const LATEST_RV = (rv: number) => `tcptran_pipe_recv_cb: recv_error rv: ${rv}`;
const OLD_RV = (rv: number) => `tcptran_pipe_recv_cb: parse error rv: ${rv}`;

/** signatures.md "Malformed packets", NanoMQ column: the WARN/ERROR lines, closed or not, bytes sent back. */
function expected(
  rv: (n: number) => string,
): Record<string, { lines: string[]; closed: boolean; reply: string }> {
  return {
    "remaining-length-overflow": { lines: ["MALFORMED_PACKET received.", rv(17)], closed: true, reply: "" },
    "publish-qos3": { lines: ["Wrong QoS level!", rv(130)], closed: true, reply: "" },
    "publish-qos1-packet-id-0": { lines: ["0 Packet ID in QoS Message!", rv(130)], closed: true, reply: "" },
    "publish-empty": { lines: ["Invalid Packet Type: Connection closed.", rv(129)], closed: true, reply: "" },
    "subscribe-empty": {
      lines: ["Invalid Packet Type: Connection closed.", rv(129)],
      closed: true,
      reply: "",
    },
    "publish-wildcard-topic": {
      lines: [
        "protocol error in topic:[a/+], len: [3]",
        "decode message failed.",
        "nni aio recv error!! Object closed",
        rv(139),
      ],
      closed: true,
      reply: "e0028200",
    },
    "publish-bad-utf8-topic": {
      lines: ["Topic is NULL", "nni aio recv error!! Object closed", rv(139)],
      closed: true,
      reply: "e0028000",
    },
    "packet-type-0": { lines: [], closed: false, reply: "" },
    "pingreq-flags": { lines: [], closed: false, reply: "" },
    "garbage-before-connect": {
      lines: ["Illegal CONNECT Packet type 71", "connect nego error rv: 13"],
      closed: true,
      reply: "",
    },
  };
}

const ERAS: [string, NanomqVersion, (n: number) => string][] = [
  ["latest", NANOMQ_LATEST, LATEST_RV],
  ["0.21", [0, 21, 0], OLD_RV],
];

describe.each(ERAS)("nanomq profile (%s): malformed packets", (_era, nanomqVersion, rv) => {
  const table = expected(rv);
  it.each(MALFORMED_VARIANTS.map((v) => [v.name, v] as const))("%s", async (name, variant) => {
    const want = table[name];
    if (!want) throw new Error(`no expectation for ${name}`);
    const b = await broker({ profile: "nanomq", nanomqVersion });
    const s = await raw(b);
    let replyFrom = 0;
    if (!variant.beforeConnect) {
      s.socket.write(connectBytes(`bad-${name}`));
      await until(() => s.received().length >= 4, 5000, "CONNACK");
      expect(s.received().subarray(0, 4).toString("hex")).toBe("20020000");
      replyFrom = 4;
    }
    const from = b.logLines().length;
    s.socket.write(variant.bytes);
    if (want.closed) await s.closed;
    else await new Promise((r) => setTimeout(r, 300));
    expect(s.isClosed()).toBe(want.closed);
    expect(messagesSince(b, from, { warnOnly: true })).toEqual(want.lines);
    expect(s.received().subarray(replyFrom).toString("hex")).toBe(want.reply);
    expect(b.stats().internalErrors).toBe(0);
  });
});
