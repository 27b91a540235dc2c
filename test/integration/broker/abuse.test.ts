import net from "node:net";
import { describe, expect, it } from "vitest";
import { scaledClock } from "../../../src/core/clock.js";
import { broker, client, connectBytes, inbox, raw, until } from "./helpers.js";

/** Slow-loris tricklers and thousands of idle connections: the broker must neither wait forever nor fall over. */
const SCALE = 50;
// The trickle is paced on the wall clock, on purpose: its point is bytes arriving over time. Paced with the broker's
// own clock.sleep instead, the spec kick below came 1–1.8 scenario seconds late under a load of 16 (2 cores).
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("slow loris", () => {
  it("nanomq: a CONNECT trickled a byte per scenario second is still dropped at the 15 s no-CONNECT timeout", async () => {
    const b = await broker({ clock: scaledClock(SCALE) });
    // the broker's timer starts when it accepts the socket: between these two (at ×50, 1 ms of delay is 0.05 s)
    const dialedAt = b.clock.now();
    const s = await raw(b);
    const openedAt = b.clock.now();
    const bytes = connectBytes("slow-loris-client", 60); // 31 bytes: complete only after 31 s
    expect(bytes.length).toBeGreaterThan(20);
    for (let i = 0; i < bytes.length && !s.isClosed(); i++) {
      s.socket.write(bytes.subarray(i, i + 1));
      await sleep(1000 / SCALE);
    }
    await s.closed;
    const timeout = b.logLines().find((l) => l.signature === "connect-timeout");
    expect(((timeout?.at ?? 0) - dialedAt) / 1000).toBeGreaterThanOrEqual(14.9);
    expect(((timeout?.at ?? 0) - openedAt) / 1000).toBeLessThan(16);
  });

  it("spec: a PUBLISH that never completes does not count as a packet: kicked 1.5 × keepalive after CONNECT", async () => {
    const b = await broker({ profile: "spec", clock: scaledClock(SCALE) });
    const s = await raw(b);
    s.socket.write(connectBytes("loris-after", 2));
    s.socket.write(Buffer.from([0x30, 0xe8, 0x07])); // a PUBLISH of 1000 bytes ...
    for (let i = 0; i < 200 && !s.isClosed(); i++) {
      s.socket.write(Buffer.from([0x61])); // ... a byte every 0.2 scenario seconds
      await sleep(200 / SCALE);
    }
    await s.closed;
    // [MQTT-3.1.2-24] (3.1.1): no Control Packet within 1.5 × 2 s
    const connectedAt = b.logLines().find((l) => l.signature === "client-connected")?.at ?? Number.NaN;
    const kick = b.logLines().find((l) => l.signature === "keepalive-timeout");
    expect(((kick?.at ?? 0) - connectedAt) / 1000).toBeGreaterThanOrEqual(2.95);
    expect(((kick?.at ?? 0) - connectedAt) / 1000).toBeLessThan(3.5);
  });
});

describe("thousands of idle connections", () => {
  it("2000 connected clients with keepalive 0 stay open, a newcomer is served, close() ends them all", async () => {
    const b = await broker();
    const count = 2000;
    const sockets: net.Socket[] = [];
    let closedByBroker = 0;
    try {
      for (let i = 0; i < count; i++) {
        const s = net.connect(b.port, b.host);
        sockets.push(s);
        s.resume(); // read (and drop) the CONNACK, so the broker's FIN is seen
        s.on("error", () => {});
        s.on("close", () => closedByBroker++);
        s.write(connectBytes(`idle-${i}`, 0));
        if (i % 100 === 99)
          await until(() => b.stats().connections === i + 1, 10_000, `${i + 1} connections`);
      }
      await until(
        () => b.logLines().filter((l) => l.signature === "client-connected").length === count,
        10_000,
      );
      const sub = await client(b, { clientId: "newcomer-sub" });
      const got = inbox(sub);
      await sub.subscribeAsync("still/here", { qos: 1 });
      const pub = await client(b, { clientId: "newcomer-pub" });
      await pub.publishAsync("still/here", "yes", { qos: 1 });
      await until(() => got.length === 1, 5000, "the newcomer's message");
      expect(b.stats()).toMatchObject({ connections: count + 2, internalErrors: 0 });
      await b.close();
      await until(() => closedByBroker === count, 10_000, "every idle connection closed by the broker");
      expect(b.stats().connections).toBe(0);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });
});
