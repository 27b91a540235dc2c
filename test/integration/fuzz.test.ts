import { afterEach, describe, expect, it } from "vitest";
import { CLOSES_AT_ONCE_MS } from "../../fuzz/expect.js";
import { startHealthyStream } from "../../fuzz/healthy.js";
import { runFuzz } from "../../fuzz/run.js";
import { campaignFailures, type Divergence, variantDivergence } from "../../fuzz/verdict.js";
import { type Broker, startBroker } from "../../src/broker/index.js";
import { PROFILES } from "../../src/core/profile.js";

/**
 * The fuzz campaign, short, on every profile: mutated and malformed packets on many connections while a healthy
 * MQTT.js client streams QoS 1 messages through the same broker; any divergence from the profile fails. The seed
 * changes every run (so the suite keeps exploring) and is in the test's name; MQDIAG_FUZZ_SEED=<n> replays one,
 * and `npm run fuzz -- --profile <p> --seed <n> --connection <id>` replays one connection of it.
 * `npm run fuzz` is the long campaign (100,000+ packets).
 */
const PACKETS = 8_000;
const seed = Number(process.env.MQDIAG_FUZZ_SEED ?? Math.floor(Math.random() * 1_000_000));

describe(`the fuzz campaign, ${PACKETS.toLocaleString("en")} packets per profile (MQDIAG_FUZZ_SEED=${seed})`, () => {
  let broker: Broker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  for (const profile of PROFILES) {
    it(`${profile}, seed ${seed}: no crash, no divergence from the profile, no healthy message lost`, async () => {
      broker = await startBroker({ port: 0, profile });
      const healthy = await startHealthyStream(broker.url);
      const divergences: Divergence[] = [];
      const options = broker.profile;
      const stats = await runFuzz({
        host: broker.host,
        port: broker.port,
        packets: PACKETS,
        seed,
        onOutcome: (id, o) => {
          const detail = variantDivergence(options, o);
          if (detail) divergences.push({ id, detail });
        },
      });
      const stream = await healthy.stop();

      // Every connection that sent one named variant alone was handled as the profile's table says: closed (at
      // once, not merely before the fuzzer gave up waiting) or left open, with exactly the profile's answer.
      expect(campaignFailures({ stats, broker: broker.stats(), stream, divergences })).toEqual([]);
      expect(stats.packets).toBeGreaterThanOrEqual(PACKETS);
      expect(stats.connections).toBeGreaterThan(PACKETS / 10);
      expect(Object.keys(stats.variants).length).toBeGreaterThanOrEqual(8);
      expect(stream.sent).toBeGreaterThan(50);
      expect(stream.received).toBe(stream.sent);
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
