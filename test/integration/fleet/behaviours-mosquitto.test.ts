import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { realClock } from "../../../src/core/clock.js";
import { type BehaviourSpec, startClient } from "../../../src/fleet/behaviour-spec.js";
import type { FleetClient } from "../../../src/fleet/types.js";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../../helpers/mosquitto.js";

/** The fleet against the REAL mosquitto 2.0, at real time: each behaviour's record and mosquitto's log line. */
describe.runIf(mosquittoAvailable())("fleet behaviours against the real mosquitto", () => {
  let broker: Mosquitto;
  const clock = realClock();
  const started: FleetClient[] = [];
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.stop();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((c) => c.stop()));
  });

  const start = async (clientId: string, spec: BehaviourSpec, keepaliveS = 60) => {
    const client = await startClient({ clock, target: broker, clientId, keepaliveS }, spec);
    started.push(client);
    return client;
  };

  it("healthy: an MQTT.js client on the clock, closed cleanly by the client", async () => {
    const c = await start("fleet-healthy-1", { behaviour: "healthy" });
    await c.stop();
    const [r] = c.records();
    expect(r).toMatchObject({ closedBy: "client", closeKind: "DISCONNECT", reasonCode: null });
    expect(r?.connectedAt).not.toBeNull();
    expect(r?.bytesReceived).toBeGreaterThanOrEqual(4); // CONNACK
    await broker.waitForLog(/Client fleet-healthy-1 disconnected\./);
  });

  it.each([
    ["rst", "RST", /Client fleet-rst-1 closed its connection\./],
    ["fin", "FIN", /Client fleet-fin-1 closed its connection\./],
    ["clean", "DISCONNECT", /Received DISCONNECT from fleet-clean-1/],
  ] as const)("%s: the client closes with %s and mosquitto logs it", async (behaviour, kind, line) => {
    const c = await start(`fleet-${behaviour}-1`, { behaviour, afterMs: 100 });
    await c.done;
    const [r] = c.records();
    expect(r).toMatchObject({ closedBy: "client", closeKind: kind });
    expect((r?.closedAt ?? 0) - (r?.connectedAt ?? 0)).toBeGreaterThanOrEqual(90);
    await broker.waitForLog(line);
  });

  it("malformed remaining-length-overflow: mosquitto closes at once (protocol error)", async () => {
    const c = await start("fleet-malformed-1", {
      behaviour: "malformed",
      variant: "remaining-length-overflow",
      waitCloseMs: 5000,
    });
    await c.done;
    const [r] = c.records();
    expect(r?.closedBy).toBe("broker");
    expect(r?.notes.brokerClosed).toBe(true);
    expect((r?.closedAt ?? 0) - (r?.lastSentAt ?? 0)).toBeLessThan(1000);
    await broker.waitForLog(/Client fleet-malformed-1 disconnected due to protocol error\./);
  });

  it("takeover: the second connection with the same id closes the first", async () => {
    const c = await start("fleet-takeover-1", { behaviour: "takeover", afterMs: 100, waitCloseMs: 5000 });
    await c.done;
    const [first, second] = c.records();
    expect(first).toMatchObject({ closedBy: "broker", behaviour: "takeover" });
    expect(first?.notes.takenOver).toBe(true);
    expect(second).toMatchObject({ clientId: "fleet-takeover-1", closedBy: null });
    await broker.waitForLog(/Client fleet-takeover-1 already connected, closing old connection\./);
  });

  it("corrupt-retain without a broker fault: the fresh subscriber gets the retained message intact", async () => {
    const c = await start("fleet-retain-1", {
      behaviour: "corrupt-retain",
      topic: "mqdiag-test/fleet/retain-1",
      waitMessageMs: 3000,
    });
    await c.done;
    const [pub, sub] = c.records();
    expect(pub).toMatchObject({ closedBy: "client", closeKind: "DISCONNECT" });
    expect(sub).toMatchObject({ clientId: "fleet-retain-1-sub", behaviour: "fresh-subscriber" });
    expect(sub?.notes.retainedReceived).toBe(true);
  });

  it("no-connect: TCP open, nothing sent; the client gives up after its wait", async () => {
    const c = await start("fleet-noconnect-1", { behaviour: "no-connect", waitCloseMs: 300 });
    await c.done;
    const [r] = c.records();
    expect(r).toMatchObject({ closedBy: "client", closeKind: "FIN", lastSentAt: null });
    expect(r?.notes.brokerClosed).toBe(false);
  });

  it("late-ping (never again) and subscriber-only are kicked in mosquitto's window (1.5k, 1.5k+6] s", async () => {
    const keepaliveS = 2;
    const late = await start("fleet-late-1", { behaviour: "late-ping", intervalMs: null }, keepaliveS);
    const sub = await start(
      "fleet-sub-1",
      { behaviour: "subscriber-only", topic: "mqdiag-test/fleet/stream" },
      keepaliveS,
    );
    await Promise.all([late.done, waitClosed(sub)]);
    const [l] = late.records();
    const [s, feeder] = sub.records();
    for (const r of [l, s]) {
      expect(r).toMatchObject({ closedBy: "broker", closeKind: "FIN" });
      const silentS = ((r?.closedAt ?? 0) - (r?.lastSentAt ?? 0)) / 1000;
      expect(silentS).toBeGreaterThan(3 - 0.5);
      expect(silentS).toBeLessThanOrEqual(3 + 6 + 1);
    }
    expect(l?.events.filter((e) => e.packet === "pingreq")).toHaveLength(1);
    expect(s?.events.filter((e) => e.dir === "in" && e.packet === "publish").length).toBeGreaterThan(2);
    expect(feeder?.closedBy).not.toBe("broker");
    await broker.waitForLog(/Client fleet-late-1 has exceeded timeout, disconnecting\./);
    await broker.waitForLog(/Client fleet-sub-1 has exceeded timeout, disconnecting\./);
  }, 30_000);
});

async function waitClosed(client: FleetClient): Promise<void> {
  for (;;) {
    if (client.records()[0]?.closedAt !== null) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
