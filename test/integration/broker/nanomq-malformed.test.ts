import { describe, expect, it } from "vitest";
import type { NanomqVersion } from "../../../src/core/profile.js";
import { NANOMQ_LATEST } from "../../../src/core/profile.js";
import { MALFORMED_VARIANTS } from "../../../src/fleet/malformed.js";
import { broker, connectBytes, raw, until } from "./helpers.js";
import { messagesSince } from "./lines.js";

const LATEST_RV = (rv: number) => `tcptran_pipe_recv_cb: recv_error rv: ${rv}`;
const OLD_RV = (rv: number) => `tcptran_pipe_recv_cb: parse error rv: ${rv}`;

type Era = "0.21" | "0.25";

/**
 * The real builds' reactions (measured by test/integration/nanomq/fidelity.test.ts against NanoMQ 0.21.9 and 0.25.3):
 * the WARN/ERROR lines of the incident (0.25.3's online/offline and `sleep aio error 7` aside: the fidelity suite
 * checks those), closed or not, and the bytes sent back.
 */
function expected(
  era: Era,
  rv: (n: number) => string,
): Record<string, { lines: string[]; closed: boolean; reply: string }> {
  const v025 = era === "0.25";
  return {
    "remaining-length-overflow": { lines: ["MALFORMED_PACKET received.", rv(17)], closed: true, reply: "" },
    "publish-qos3": { lines: ["Wrong QoS level!", rv(130)], closed: true, reply: "" },
    "publish-qos1-packet-id-0": { lines: ["0 Packet ID in QoS Message!", rv(130)], closed: true, reply: "" },
    "publish-empty": {
      lines: [
        v025
          ? "Invalid Packet Type: 0 len received! Connection closed."
          : "Invalid Packet Type: Connection closed.",
        rv(129),
      ],
      closed: true,
      reply: "",
    },
    // Neither build closes: 0.21.9 complains and refuses the (absent) filter, 0.25.3 grants QoS 0.
    "subscribe-empty": v025
      ? { lines: [], closed: false, reply: "9003000100" }
      : { lines: ["NOT utf8-encoded string OR null string."], closed: false, reply: "9003000180" },
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
      lines: [
        ...(v025 ? ["UTF-8 check failed!"] : []),
        "Topic is NULL",
        "nni aio recv error!! Object closed",
        rv(139),
      ],
      closed: true,
      reply: "e0028000",
    },
    "packet-type-0": { lines: [], closed: false, reply: "" },
    // 0.21.9 answers only the exact byte C0; 0.25.3 answers C1 too.
    "pingreq-flags": { lines: [], closed: false, reply: v025 ? "d000" : "" },
    "garbage-before-connect": {
      lines: [
        "Illegal CONNECT Packet type 47",
        v025 ? "connect nego error rv:(13)" : "connect nego error rv: Protocol error(13)",
      ],
      closed: true,
      reply: "",
    },
  };
}

/** 0.25.3's lines that are not about the incident itself. */
const AROUND = /^(\S+ online!|\S+ offline!|sleep aio error 7)$/;

const ERAS: [string, NanomqVersion, Era, (n: number) => string][] = [
  ["latest", NANOMQ_LATEST, "0.25", LATEST_RV],
  ["0.25.3", [0, 25, 3], "0.25", LATEST_RV],
  ["0.21.9", [0, 21, 9], "0.21", OLD_RV],
  ["0.21", [0, 21, 0], "0.21", OLD_RV],
];

describe.each(ERAS)("nanomq profile (%s): malformed packets", (_name, nanomqVersion, era, rv) => {
  const table = expected(era, rv);
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
    // the point is that nothing happens: a broker left mid-frame may wait for more bytes, so no packet can fence it
    else await new Promise((r) => setTimeout(r, 300));
    expect(s.isClosed()).toBe(want.closed);
    expect(messagesSince(b, from, { warnOnly: true }).filter((m) => !AROUND.test(m))).toEqual(want.lines);
    expect(s.received().subarray(replyFrom).toString("hex")).toBe(want.reply);
    expect(b.stats().internalErrors).toBe(0);
  });
});
