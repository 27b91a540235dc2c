import { describe, expect, it } from "vitest";
import { decodeFrame } from "../../../src/broker/wire/decode.js";
import type { ViolationKind } from "../../../src/broker/wire/violation.js";
import { MALFORMED_VARIANTS } from "../../../src/fleet/malformed.js";
import { FrameReader } from "../../../src/mqtt-wire/frame-reader.js";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");

function classify(bytes: Buffer, protocolVersion = 4): ViolationKind | "overflow" | "ok" | "incomplete" {
  const reader = new FrameReader();
  reader.push(bytes);
  const read = reader.next();
  if (read.kind === "overflow") return "overflow";
  if (read.kind === "need-more") return "incomplete";
  if (read.kind === "too-large") return "packet-too-large";
  const decoded = decodeFrame(read.frame, protocolVersion);
  return decoded.ok ? "ok" : decoded.violation.kind;
}

describe("FrameReader", () => {
  it("waits for the whole frame, across chunks, and splits back-to-back frames", () => {
    const reader = new FrameReader();
    reader.push(hex("30 07 0003 61"));
    expect(reader.next().kind).toBe("need-more");
    reader.push(hex("2f62 6869 c000"));
    const first = reader.next();
    expect(first.kind === "frame" && first.frame.bytes.toString("hex")).toBe("3007000361" + "2f626869");
    const second = reader.next();
    expect(second.kind === "frame" && [second.frame.type, second.frame.remainingLength]).toEqual([12, 0]);
    expect(reader.next().kind).toBe("need-more");
  });

  it.each([
    ["7f", 127, 2],
    ["8001", 128, 3],
    ["ffff7f", 2_097_151, 4],
    ["ffffff7f", 268_435_455, 5],
  ])("remaining length %s = %i (body at %i)", (len, value, bodyOffset) => {
    const reader = new FrameReader();
    reader.push(Buffer.concat([hex(`30${len}`), Buffer.alloc(value > 1000 ? 0 : value)]));
    const read = reader.next();
    if (value > 1000) expect(read.kind).toBe("need-more");
    else
      expect(read.kind === "frame" && [read.frame.remainingLength, read.frame.bodyOffset]).toEqual([
        value,
        bodyOffset,
      ]);
  });

  it("a 5th length byte is an overflow even before it arrives", () => {
    const reader = new FrameReader();
    reader.push(hex("30 ff ff ff ff"));
    expect(reader.next().kind).toBe("overflow");
  });
});

describe("violation classification", () => {
  const expected: Record<string, ViolationKind | "overflow"> = {
    "remaining-length-overflow": "overflow",
    "publish-qos3": "publish-qos3",
    "publish-qos1-packet-id-0": "publish-qos1-packet-id-0",
    "publish-empty": "publish-empty",
    "subscribe-empty": "subscribe-empty",
    "publish-wildcard-topic": "publish-wildcard-topic",
    "publish-bad-utf8-topic": "publish-bad-utf8-topic",
    "packet-type-0": "packet-type-0",
    "pingreq-flags": "pingreq-flags",
  };
  it.each(MALFORMED_VARIANTS.filter((v) => !v.beforeConnect).map((v) => [v.name, v.bytes] as const))(
    "%s",
    (name, bytes) => {
      expect(classify(bytes)).toBe(expected[name]);
    },
  );

  it.each([
    ["auth on 3.1.1", "f0 00", 4, "auth-on-v311"],
    ["second CONNECT", "10 0c 00044d51545404020000000061", 4, "second-connect"],
    ["CONNACK from a client", "20 02 0000", 4, "server-packet"],
    ["SUBSCRIBE with flags 0", "80 06 0001 0001 61 00", 4, "reserved-flags"],
    ["PUBLISH with an empty topic", "30 03 0000 78", 4, "publish-empty-topic"],
    ["SUBSCRIBE QoS 3", "82 06 0001 0001 61 03", 4, "undecodable"],
    ["a good QoS 1 PUBLISH", "32 08 0003 612f62 0001 78", 4, "ok"],
    ["a good v5 PUBLISH", "30 07 0003 612f62 00 78", 5, "ok"],
    ["a good PINGREQ", "c0 00", 4, "ok"],
  ] as const)("%s → %s", (_name, bytes, protocolVersion, kind) => {
    expect(classify(hex(bytes), protocolVersion)).toBe(kind);
  });
});
