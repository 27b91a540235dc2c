import net from "node:net";
import { describe, expect, it } from "vitest";
import { prng } from "../../../fuzz/prng.js";
import type { ProfileName } from "../../../src/core/profile.js";
import { MALFORMED_VARIANTS } from "../../../src/fleet/malformed.js";
import { broker, client, connectBytes, inbox, sentTo, until } from "./helpers.js";

/** A malformed variant or a valid packet with a few bytes flipped, dropped or appended. */
function mutant(random: () => number): Buffer {
  const variant = MALFORMED_VARIANTS[Math.floor(random() * MALFORMED_VARIANTS.length)];
  const base = Buffer.from(variant?.bytes ?? Buffer.alloc(0));
  const out = Buffer.from(base);
  const flips = Math.floor(random() * 3);
  for (let i = 0; i < flips && out.length > 0; i++)
    out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
  return random() < 0.2 ? out.subarray(0, Math.floor(random() * out.length)) : out;
}

describe.each(["nanomq", "mosquitto", "spec"] as ProfileName[])("%s: hostile connections", (profile) => {
  it("never crash the broker nor disturb a healthy QoS 1 stream", async () => {
    const b = await broker({ profile });
    const random = prng(20_261_126);
    const sent = sentTo(b, "healthy-sub");
    const sub = await client(b, { clientId: "healthy-sub" });
    const got = inbox(sub);
    await sub.subscribeAsync("healthy/#", { qos: 1 });
    const pub = await client(b, { clientId: "healthy-pub" });
    const sockets: net.Socket[] = [];
    try {
      const attack = (async () => {
        for (let i = 0; i < 150; i++) {
          const s = net.connect(b.port, "127.0.0.1");
          sockets.push(s);
          s.on("error", () => {});
          if (random() < 0.8) s.write(connectBytes(`fuzz-${i}`));
          for (let k = 0; k < 3; k++) s.write(mutant(random));
          if (random() < 0.3) s.resetAndDestroy();
          await new Promise((r) => setImmediate(r));
        }
      })();
      const messages = 200;
      for (let i = 0; i < messages; i++) await pub.publishAsync(`healthy/${i % 5}`, String(i), { qos: 1 });
      await attack;
      await until(() => got.length >= messages, 10_000, "every healthy message");
      // each message sent once: no copy is on its way
      expect(sent()).toBe(messages);
      expect(got.map((m) => Number(m.payload))).toEqual([...Array(messages).keys()]);
      expect(b.stats().internalErrors).toBe(0);
      expect(sub.connected && pub.connected).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });
});
