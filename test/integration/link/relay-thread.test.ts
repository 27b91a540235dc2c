import { afterEach, describe, expect, it } from "vitest";
import { realClock } from "../../../src/core/clock.js";
import { inProcessEventClock, type SocketWatch, watchSockets } from "../../../src/core/in-flight.js";
import { broker, pingRtt, rawClient, relay } from "./helpers.js";

/**
 * The relays run in a thread of their own (src/link/relay-host.ts); the in-flight watch of this thread must see
 * their sockets as the peers of the clients' and the broker's, or an event-driven clock would jump while bytes
 * cross a relay (or never jump at all).
 */
const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

async function idleWithin(w: SocketWatch, realMs: number): Promise<boolean> {
  const deadline = performance.now() + realMs;
  while (performance.now() < deadline) {
    if (w.idle()) return true;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return false;
}

describe("the relay thread's sockets, seen from this thread", () => {
  it("busy while a packet crosses the relay, idle while the relay's latency holds it, busy again as it leaves", async () => {
    const w = watchSockets();
    stops.push(() => w.stop());
    const clock = realClock();
    const b = await broker(clock);
    const r = await relay(clock, b, {
      faults: [{ kind: "latency", latencyMs: 400, direction: "to-broker" }],
    });
    const c = await rawClient(clock, r, "relay-thread-watch-1");
    expect(await idleWithin(w, 2000)).toBe(true);
    const sent = performance.now();
    c.send({ cmd: "pingreq" });
    // read by the relay and held there on a timer: nothing in flight (a look waits the moment the relay thread
    // takes to read it, src/core/in-flight.ts)
    expect(await idleWithin(w, 300)).toBe(true);
    expect(performance.now() - sent).toBeLessThan(350);
    const answered = c.waitFor("pingresp", 5000);
    let busySeen = false;
    while (performance.now() - sent < 2000 && !busySeen) {
      busySeen = !w.idle();
      await new Promise((resolve) => setImmediate(resolve));
    }
    // the timer let it go: towards the broker, which answers
    expect(busySeen).toBe(true);
    expect(performance.now() - sent).toBeGreaterThanOrEqual(390);
    expect(await answered).not.toBeNull();
    expect(await idleWithin(w, 2000)).toBe(true);
  });

  it("on the event-driven clock a relay's latency is jumped over, to the clock ms", async () => {
    const clock = inProcessEventClock({ unref: true });
    stops.push(() => clock.stop());
    const b = await broker(clock);
    const r = await relay(clock, b, { faults: [{ kind: "latency", latencyMs: 3000 }] });
    const c = await rawClient(clock, r, "relay-thread-jump-1");
    const real = performance.now();
    const rtt = await pingRtt(clock, c, 60_000);
    // 3 s each way; the packets' own real time between the jumps on top (a loaded machine: 150 ms)
    expect(rtt).toBeGreaterThanOrEqual(6000);
    expect(rtt).toBeLessThanOrEqual(6150);
    expect(performance.now() - real).toBeLessThan(2000);
    expect(clock.stats().jumps).toBeGreaterThanOrEqual(2);
  });
});
