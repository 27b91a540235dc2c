import { describe, expect, it } from "vitest";
import { broker, clockAt, pingRtt, rawClient, relay, until } from "./helpers.js";

describe("the relay without faults", () => {
  it("passes MQTT both ways, and leaves nothing open on the broker after stop", async () => {
    const clock = clockAt(1);
    const b = await broker(clock);
    const r = await relay(clock, b, { faults: [] });
    const clients = await Promise.all([1, 2, 3].map((i) => rawClient(clock, r, `relay-basic-${i}`)));
    expect(b.stats().connections).toBe(3);
    expect(r.openConnections()).toBe(3);
    for (const c of clients) expect(await pingRtt(clock, c)).toBeLessThan(50);
    await r.stop();
    await until(() => b.stats().connections === 0, 2000, "the broker to see every connection closed");
    expect(r.openConnections()).toBe(0);
    for (const c of clients) expect(await c.waitClosed(1000)).toBe(true);
  });
});
