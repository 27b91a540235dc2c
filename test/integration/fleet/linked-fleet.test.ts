import { afterEach, describe, expect, it } from "vitest";
import { type Broker, startBroker } from "../../../src/broker/index.js";
import { scaledClock } from "../../../src/core/clock.js";
import { startClient } from "../../../src/fleet/behaviour-spec.js";
import { type Fleet, startFleet } from "../../../src/fleet/fleet.js";

/** A fleet behind links: one relay per client, behaviours unchanged, nothing left open after stop. */
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function until(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function broker(scale: number): Promise<Broker> {
  const b = await startBroker({ port: 0, clock: scaledClock(scale), profile: "nanomq" });
  stops.push(() => b.close());
  return b;
}

describe("a fleet behind links", () => {
  it("40 healthy clients, each behind its own relay with latency: all connect; stop leaves no connection", async () => {
    const b = await broker(10);
    const fleet: Fleet = await startFleet({
      clock: b.clock,
      target: b,
      scenario: "linked",
      keepaliveS: 2,
      count: 40,
      spec: { behaviour: "healthy", link: { faults: [{ kind: "latency", latencyMs: 100, jitterMs: 50 }] } },
    });
    stops.push(() => fleet.stop());
    const ports = new Set(fleet.clients.map((c) => c.link?.port));
    expect(ports.size).toBe(40);
    expect(b.stats().connections).toBe(40);
    await b.clock.sleep(7000);
    // pinging through 100 ± 50 ms each way (about 3 PINGREQs each by now), nobody gave up, nobody was kicked
    for (const r of fleet.records()) {
      expect(r).toMatchObject({ closedAt: null, clientTimeoutAt: null });
      expect(r.events.filter((e) => e.packet === "pingresp").length).toBeGreaterThanOrEqual(2);
    }
    await fleet.stop();
    expect(fleet.records().every((r) => r.closedBy === "client" && r.closeKind === "DISCONNECT")).toBe(true);
    await until(() => b.stats().connections === 0, 2000, "the broker to count no connection");
    expect(fleet.clients.every((c) => c.link?.openConnections() === 0)).toBe(true);
    expect(b.logLines().some((l) => l.signature === "recv-error")).toBe(false);
  });

  it("a stalled client still stops (its goodbye is held; the relay closes after a grace period)", async () => {
    const b = await broker(20);
    const c = await startClient(
      { clock: b.clock, target: b, clientId: "linked-stalled-1", keepaliveS: 60 },
      { behaviour: "healthy", link: { faults: [{ kind: "stall", atMs: 5000, forMs: null }] } },
    );
    await b.clock.sleep(6000 - (b.clock.now() - (c.link?.startedAt ?? 0)));
    const started = performance.now();
    await c.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    await until(() => b.stats().connections === 0, 2000, "the broker to count no connection");
  });

  it("a misbehaving client's bytes pass unchanged, even through an MQTT-aware link", async () => {
    const b = await broker(10);
    const c = await startClient(
      { clock: b.clock, target: b, clientId: "linked-malformed-1", keepaliveS: 60 },
      {
        behaviour: "malformed",
        variant: "remaining-length-overflow",
        waitCloseMs: 5000,
        link: { faults: [{ kind: "drop", packet: "pingreq" }] },
      },
    );
    stops.push(() => c.stop());
    await c.done;
    expect(c.records()[0]?.closedBy).toBe("broker");
    expect(b.logLines().some((l) => l.signature === "malformed-packet")).toBe(true);
  });

  it("a raw late pinger behind a link that drops PINGREQs: the broker kicks it as if it never pinged", async () => {
    const b = await broker(20);
    const c = await startClient(
      { clock: b.clock, target: b, clientId: "linked-late-ping-1", keepaliveS: 2 },
      { behaviour: "late-ping", intervalMs: 1000, link: { faults: [{ kind: "drop", packet: "pingreq" }] } },
    );
    stops.push(() => c.stop());
    await c.done;
    const [r] = c.records();
    // NanoMQ Q 10 s, M 1.25, keepalive 2, silent since CONNECT (its PINGREQs never arrive): kicked 25 s after it
    expect(r?.closedBy).toBe("broker");
    const after = (r?.closedAt ?? 0) - (r?.connectedAt ?? 0);
    expect(after).toBeGreaterThanOrEqual(25_000 - 100);
    expect(after).toBeLessThanOrEqual(25_000 + 400);
  });
});
