import { afterEach, describe, expect, it } from "vitest";
import { firstPacket, planConnection, preConnectClientId } from "../../fuzz/connection.js";
import { prng } from "../../fuzz/prng.js";
import { runNumberedConnection } from "../../fuzz/run.js";
import { type Broker, startBroker } from "../../src/broker/index.js";

/**
 * Issue 19: `npm run fuzz` (nanomq, 100,000 packets) failed seeds 1, 2 and 7 with one `subscribe-empty` /
 * `packet-type-0` connection closed although the profile leaves it open. The broker's trace named the cause
 * `takeover`: another fuzz connection's mutated CONNECT had become a valid CONNECT carrying the victim's client id
 * (seed 1: connection 5962's `fuzz-5962` with one byte overwritten into `fuzz-5912`), and the broker closed the
 * older connection as [MQTT-3.1.4-2] says. Replayed here on real sockets, victim first, exactly as in the campaign.
 */
describe("fuzz connections never take each other over", () => {
  let broker: Broker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  // [seed, the connection that was closed, the connection whose mutated CONNECT took it over]
  const cases = [
    [1, 5912, 5962],
    [2, 3618, 3658],
    [7, 6951, 6955],
  ] as const;
  for (const [seed, victim, other] of cases) {
    it(`seed ${seed}: connection ${victim} stays open while connection ${other} runs`, async () => {
      broker = await startBroker({ port: 0, profile: "nanomq" });
      const causes: string[] = [];
      broker.on("trace", (e) => {
        if (e.type === "close" && e.clientId === `fuzz-${victim}`) causes.push(e.cause);
      });
      const options = { host: broker.host, port: broker.port, settleMs: 150, maxPackets: 12 };
      const first = runNumberedConnection(seed, victim, options);
      // The victim holds its connection 750 ms after its last write; the other one runs inside that window.
      await new Promise((r) => setTimeout(r, 100));
      const second = await runNumberedConnection(seed, other, options);
      const outcome = await first;
      expect(second.plan).toBe("pre-connect");
      expect({ closed: outcome.closedByBroker, causes }).toEqual({ closed: false, causes: [] });
    });
  }
});

describe("a fuzz connection's planned bytes", () => {
  it("never hold a valid CONNECT for another connection's client id (seeds 1, 2, 3, 7; 16,000 connections each)", () => {
    const foreign: string[] = [];
    for (const seed of [1, 2, 3, 7]) {
      for (let id = 0; id < 16_000; id++) {
        const planned = planConnection(prng(seed * 1_000_003 + id), {
          clientId: `fuzz-${id}`,
          maxPackets: 12,
        });
        for (const bytes of planned.packets) {
          const packet = (bytes[0] ?? 0) >> 4 === 1 ? firstPacket(bytes) : undefined;
          const own = [`fuzz-${id}`, preConnectClientId(`fuzz-${id}`)];
          if (packet?.cmd === "connect" && !own.includes(packet.clientId))
            foreign.push(`seed ${seed} connection ${id}: ${packet.clientId}`);
        }
      }
    }
    expect(foreign).toEqual([]);
  });
});
