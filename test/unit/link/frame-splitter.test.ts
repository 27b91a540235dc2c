import { describe, expect, it } from "vitest";
import { FrameSplitter } from "../../../src/link/frame-splitter.js";

const hex = (s: string) => Buffer.from(s.replace(/ /g, ""), "hex");

describe("FrameSplitter", () => {
  it("whole packets out of arbitrary chunks, with their types", () => {
    const f = new FrameSplitter();
    // PINGREQ, a PUBLISH split over three chunks, PINGRESP
    const out = [
      ...f.push(hex("c0 00 30 07 00")),
      ...f.push(hex("03 61 2f 62")),
      ...f.push(hex("68 69 d0 00")),
    ];
    expect(out.map((p) => [p.type, p.bytes.toString("hex")])).toEqual([
      [12, "c000"],
      [3, "30070003612f626869"],
      [13, "d000"],
    ]);
  });

  it("a stream that is not MQTT passes byte for byte from there on", () => {
    const f = new FrameSplitter();
    const bytes = hex("c0 00 30 ff ff ff ff 7f 01 02");
    const out = [...f.push(bytes.subarray(0, 5)), ...f.push(bytes.subarray(5)), ...f.push(hex("c0 00"))];
    expect(out[0]).toEqual({ bytes: hex("c0 00"), type: 12 });
    expect(Buffer.concat(out.slice(1).map((p) => p.bytes))).toEqual(
      Buffer.concat([bytes.subarray(2), hex("c0 00")]),
    );
    expect(out.slice(1).every((p) => p.type === null)).toBe(true);
  });
});
