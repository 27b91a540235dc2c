import { afterEach, describe, expect, it } from "vitest";
import { runNumberedConnection } from "../../fuzz/run.js";
import { StallMeter } from "../../fuzz/stall-meter.js";
import { type Broker, startBroker } from "../../src/broker/index.js";

/**
 * At load average 20 on the 2 shared cores, `npm run fuzz` (seed 2) called thousands of connections "left open"
 * without even their CONNACK: the process was held for up to a second, and after such a stall libuv runs the
 * expired timers (the fuzzer's give-up) before it polls the sockets (the broker's close, already in the kernel).
 * Reproduced here by stalling the process right after the broker answered, once the fuzzer's give-up timer is
 * running (a setImmediate queued as the broker writes its answer runs after the fuzzer scheduled that timer).
 */
describe("a fuzz connection over a stall of its own process", () => {
  let broker: Broker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  const STALL_MS = 400;
  const stallAfter = (b: Broker, packet: string) =>
    b.on("trace", (e) => {
      if (e.type !== "packet-out" || e.packet !== packet) return;
      setImmediate(() => {
        const until = performance.now() + STALL_MS;
        while (performance.now() < until); // the process held, as a loaded machine holds it
      });
    });
  const run = (seed: number, id: number, b: Broker, stalls: StallMeter) =>
    runNumberedConnection(seed, id, {
      host: b.host,
      port: b.port,
      settleMs: 60, // a variant's wait: 5 × 60 ms, shorter than the stall

      maxPackets: 12,
      stalls,
    });

  it("sees the answer that came just before the stall", async () => {
    broker = await startBroker({ port: 0, profile: "nanomq" });
    stallAfter(broker, "reply");
    const stalls = new StallMeter().start();
    // Seed 1's connection 15: CONNECT, then pingreq-flags alone, which the nanomq profile answers with a PINGRESP.
    const outcome = await run(1, 15, broker, stalls);
    stalls.stop();
    expect(outcome.variant).toBe("pingreq-flags");
    expect({ closed: outcome.closedByBroker, reply: outcome.reply }).toEqual({
      closed: false,
      reply: "d000",
    });
  });

  it("sees the close that came just before the stall, and does not count the stall as latency", async () => {
    broker = await startBroker({ port: 0, profile: "nanomq" });
    stallAfter(broker, "disconnect");
    const stalls = new StallMeter().start();
    // Seed 1's connection 1: CONNECT, then publish-wildcard-topic alone: DISCONNECT 0x82 and closed at once.
    const outcome = await run(1, 1, broker, stalls);
    stalls.stop();
    expect(outcome.variant).toBe("publish-wildcard-topic");
    expect({ closed: outcome.closedByBroker, reply: outcome.reply }).toEqual({
      closed: true,
      reply: "e0028200",
    });
    expect(outcome.stalledMs).toBeGreaterThanOrEqual(STALL_MS - 50);
    expect(outcome.closeAfterMs).toBeLessThan(250);
  });
});
