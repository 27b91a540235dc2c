import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { realClock } from "../../../src/core/clock.js";
import { type BehaviourSpec, startClient } from "../../../src/fleet/behaviour-spec.js";
import type { ClientRecord, FleetClient } from "../../../src/fleet/types.js";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../../helpers/mosquitto.js";

/**
 * The link in front of an external broker, the REAL mosquitto 2.0, at real time: neither the broker nor the
 * behaviour knows the relay is there, and mosquitto's own lines say what the link did.
 */
describe.runIf(mosquittoAvailable())("the link in front of the real mosquitto", () => {
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

  const start = async (clientId: string, keepaliveS: number, spec: BehaviourSpec) => {
    const c = await startClient({ clock, target: broker, clientId, keepaliveS }, spec);
    started.push(c);
    return c;
  };

  it("reset: the client sees an RST, mosquitto a peer gone", async () => {
    const c = await start("link-mosq-reset-1", 60, {
      behaviour: "healthy",
      link: { faults: [{ kind: "reset", atMs: 300 }] },
    });
    await c.done;
    expect(c.records()[0]).toMatchObject({ closedBy: "broker", closeKind: "RST" });
    await broker.waitForLog(/Client link-mosq-reset-1 closed its connection\./);
  });

  it("PINGRESP dropped: MQTT.js gives up at 1.5 × keepalive; mosquitto never kicked it", async () => {
    const c = await start("link-mosq-pingresp-1", 1, {
      behaviour: "healthy",
      link: { faults: [{ kind: "drop", packet: "pingresp" }] },
    });
    await c.done;
    const [r] = c.records() as [ClientRecord];
    const timeout = (r.clientTimeoutAt ?? 0) - (r.connectedAt ?? 0);
    expect(timeout).toBeGreaterThanOrEqual(1500);
    expect(timeout).toBeLessThan(1700);
    expect(r).toMatchObject({ closedBy: "client", closeKind: "FIN" });
    await broker.waitForLog(/Client link-mosq-pingresp-1 closed its connection\./);
    expect(broker.log()).not.toMatch(/link-mosq-pingresp-1 has exceeded timeout/);
  });

  it("a stall for good: mosquitto kicks in its sweep window, the client hears nothing and gives up on its own", async () => {
    const c = await start("link-mosq-stall-1", 1, {
      behaviour: "healthy",
      link: { faults: [{ kind: "stall", atMs: 200, forMs: null }] },
    });
    const [r] = c.records() as [ClientRecord];
    await broker.waitForLog(/Client link-mosq-stall-1 has exceeded timeout, disconnecting\./, 10_000);
    // silent since its CONNECT (the stall came before its first PINGREQ): ⌊1.5 × 1⌋ = 1 s, swept every ~6 s
    expect(clock.now() - (r.connectedAt ?? 0)).toBeLessThan(8000);
    expect(r).toMatchObject({ closedBy: "client", closeKind: "FIN" });
    // MQTT.js counts 1.5 × keepalive from its last send, the CONNECT (the CONNACK came a relay round trip later)
    const connectSent = r.events.find((e) => e.dir === "out" && e.packet === "connect")?.at ?? 0;
    expect((r.clientTimeoutAt ?? 0) - connectSent).toBeGreaterThanOrEqual(1500);
    expect(r.events.filter((e) => e.dir === "in" && e.packet !== "connack")).toEqual([]);
  });
});
