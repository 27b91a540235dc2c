import { createRequire } from "node:module";
import mqttPacket from "mqtt-packet";
import { describe, expect, it } from "vitest";
import "../../../src/broker/wire/lazy-number-cache.js";

const numbers = createRequire(import.meta.url)("mqtt-packet/numbers.js") as {
  cache: Record<string, Buffer | undefined>;
};

describe("mqtt-packet's number cache, computed on read (src/broker/wire/lazy-number-cache.ts)", () => {
  it("stays unfilled, yet answers as the filled one would", () => {
    mqttPacket.generate({ cmd: "puback", messageId: 7 });
    expect(Object.keys(numbers.cache)).toEqual(["0"]);
    // mqtt-packet's generateCache(): cache[i] = the 2 bytes of i, big-endian, for i in 0..65535; nothing else
    for (const n of [0, 1, 255, 256, 258, 4660, 65535]) {
      expect(numbers.cache[n]?.toString("hex")).toBe(n.toString(16).padStart(4, "0"));
    }
    for (const key of [-1, 65536, 1.5, "01", "x"]) expect(numbers.cache[key]).toBeUndefined();
  });

  it("encodes as before: an id out of range cuts the packet short after its fixed header", () => {
    const hex = (messageId: number) => mqttPacket.generate({ cmd: "puback", messageId }).toString("hex");
    expect([hex(258), hex(65535), hex(-1), hex(70000)]).toEqual(["40020102", "4002ffff", "4002", "4002"]);
  });
});
