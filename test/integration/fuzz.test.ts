import { afterEach, describe, expect, it } from "vitest";
import { CLOSES_AT_ONCE_MS, profileExpectation } from "../../fuzz/expect.js";
import { startHealthyStream } from "../../fuzz/healthy.js";
import { runFuzz } from "../../fuzz/run.js";
import { type Broker, startBroker } from "../../src/broker/index.js";
import { PROFILES } from "../../src/core/profile.js";

/**
 * Seeded robustness: thousands of mutated and malformed packets on many connections while a healthy MQTT.js
 * client streams QoS 1 messages through the same broker. `npm run fuzz` runs the long campaign.
 */
describe("the embedded broker under fuzzing", () => {
  let broker: Broker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  for (const [i, profile] of PROFILES.entries()) {
    it(`survives ${profile}: no crash, no internal error, no healthy message lost or duplicated`, async () => {
      broker = await startBroker({ port: 0, profile });
      const healthy = await startHealthyStream(broker.url);
      const stats = await runFuzz({
        host: broker.host,
        port: broker.port,
        packets: 4000,
        seed: 20261126 + i,
      });
      const stream = await healthy.stop();

      expect(stats.packets).toBeGreaterThanOrEqual(4000);
      expect(stats.connections).toBeGreaterThan(200);
      expect(stats.socketErrors).toEqual({});
      expect(broker.stats().internalErrors).toBe(0);
      expect(stream.errors).toEqual([]);
      expect(stream.sent).toBeGreaterThan(50);
      expect(stream.lost).toBe(0);
      expect(stream.duplicated).toBe(0);
      expect(stream.received).toBe(stream.sent);

      // Every connection that sent one named variant alone was handled as the profile's table says: closed (at
      // once, not merely before the fuzzer gave up waiting) or left open, with exactly the profile's answer.
      expect(Object.keys(stats.variants).length).toBeGreaterThanOrEqual(8);
      for (const [variant, outcome] of Object.entries(stats.variants)) {
        const expected = profileExpectation(broker.profile, variant);
        const connections = outcome.closed + outcome.open;
        expect({ variant, ...outcome }).toEqual({
          variant,
          closed: expected.closes ? connections : 0,
          open: expected.closes ? 0 : connections,
          slowestCloseMs: expected.closes ? expect.any(Number) : 0,
          replies: { [expected.reply]: connections },
        });
        expect(outcome.slowestCloseMs, variant).toBeLessThan(CLOSES_AT_ONCE_MS);
      }
      expect(stats.slowestCloseMs).toBeLessThan(CLOSES_AT_ONCE_MS);

      // The broker still serves a newcomer.
      const after = await startHealthyStream(broker.url);
      const tail = await after.stop();
      expect(tail.lost).toBe(0);

      // No connection object outlives its socket.
      for (let i = 0; i < 100 && broker.stats().connections > 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(broker.stats().connections).toBe(0);
    });
  }
});
