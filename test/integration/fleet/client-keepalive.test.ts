import { afterEach, describe, expect, it } from "vitest";
import { type Broker, startBroker, type TraceEvent } from "../../../src/broker/index.js";
import { type Clock, scaledClock } from "../../../src/core/clock.js";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import { type BehaviourSpec, startClient } from "../../../src/fleet/behaviour-spec.js";
import type { ClientRecord, FleetClient } from "../../../src/fleet/types.js";
import { predictKickAt } from "../../../src/keepalive/predict.js";

/**
 * The MQTT.js client's own keepalive against the broker's, through a faulty link (real sockets, real MQTT.js,
 * the embedded broker, a ×10 clock). MQTT.js pings 1 × keepalive after its last PINGRESP (or CONNACK) and gives
 * up at 1.5 ×; the broker's kick is NanoMQ's tick arithmetic (predictKickAt). Tolerances: 300 clock ms late
 * (30 real ms at ×10), never early. The stalls start at 15 s: after the first PINGREQ/PINGRESP (at ~10 s when
 * the CONNACK came within 5 s of the link's start — 0.5 real s, even on a loaded machine) and before the second.
 */
const SCALE = 10;
const STALL_AT_MS = 15_000;
const LAG_MS = 300;
/**
 * An immediate reconnect, in scenario ms: a new TCP connection and a CONNECT/CONNACK round, at ×10 (547 scenario ms,
 * 55 ms of wall time, once in a CI run with five test workers); a backoff would add its own ≥ 1000 ms.
 */
const RECONNECT_MS = 900;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function setup(
  retryIntervalMs: number,
): Promise<{ clock: Clock; broker: Broker; trace: TraceEvent[] }> {
  const clock = scaledClock(SCALE);
  const broker = await startBroker({
    port: 0,
    clock,
    profile: "nanomq",
    retryIntervalMs,
    keepaliveMultiplier: 1.25,
  });
  stops.push(() => broker.close());
  const trace: TraceEvent[] = [];
  broker.on("trace", (e) => trace.push(e));
  return { clock, broker, trace };
}

async function start(
  clock: Clock,
  broker: Broker,
  clientId: string,
  keepaliveS: number,
  spec: BehaviourSpec,
) {
  const client: FleetClient = await startClient({ clock, target: broker, clientId, keepaliveS }, spec);
  stops.push(() => client.stop());
  return client;
}

/** Real-time polling until `predicate`, at most `ms` real ms. */
async function until(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** When MQTT.js last rescheduled its keepalive before `before`: its last PINGRESP, else its CONNACK. */
function lastReschedule(r: ClientRecord, before: number): number {
  const pingresps = r.events.filter((e) => e.dir === "in" && e.packet === "pingresp" && e.at < before);
  return pingresps.at(-1)?.at ?? r.connectedAt ?? 0;
}

describe("the client's own keepalive against the broker's, over a stalled link", () => {
  // keepalive 10, the link stalls both ways for good at 15 s (after the first PINGREQ/PINGRESP at ~10 s).
  // MQTT.js gives up 15 s after that PINGRESP. NanoMQ (M 1.25) kicks 12.5 s of silence at its next tick past it:
  // with Q 10 s (shipped) that is ≥ 20 s after the PINGREQ → the client first; with Q 1 s, 13–14 s → the broker.
  it.each([
    [10_000, "client"],
    [1000, "broker"],
  ] as const)("Q %i ms: the %s gives up first", async (retryIntervalMs, first) => {
    const { clock, broker, trace } = await setup(retryIntervalMs);
    const id = `fleet-ka-stall-${retryIntervalMs}`;
    const c = await start(clock, broker, id, 10, {
      behaviour: "healthy",
      link: { faults: [{ kind: "stall", atMs: STALL_AT_MS, forMs: null }] },
    });
    const [r] = c.records() as [ClientRecord];
    await until(() => r.clientTimeoutAt !== null && trace.some((e) => e.type === "kick"), 8000, "both sides");
    const stallAt = (c.link?.startedAt ?? 0) + STALL_AT_MS;

    // the client: 1.5 × keepalive after its last PINGRESP before the stall
    const reschedule = lastReschedule(r, stallAt);
    expect(reschedule).toBeGreaterThan((r.connectedAt ?? 0) + 9000);
    const clientTimeoutAt = r.clientTimeoutAt ?? 0;
    expect(clientTimeoutAt - reschedule).toBeGreaterThanOrEqual(15_000);
    expect(clientTimeoutAt - reschedule).toBeLessThanOrEqual(15_000 + LAG_MS);
    // it gave up on its own: the broker's close (if any) was held by the stall
    expect(r).toMatchObject({ closedBy: "client", closeKind: "FIN", reconnectedAt: [] });

    // the broker: NanoMQ's tick arithmetic on what it received
    const connect = trace.find((e) => e.type === "connect" && e.clientId === id);
    const inbound = trace.filter((e) => e.type === "packet-in" && e.clientId === id).map((e) => e.at);
    const predicted = predictKickAt(
      { ...DEFAULT_PROFILE_OPTIONS, retryIntervalMs, keepaliveMultiplier: 1.25 },
      { keepaliveMs: 10_000, connectAt: connect?.at ?? 0, inboundAt: inbound },
    );
    const kick = trace.find((e) => e.type === "kick");
    expect(predicted).not.toBeNull();
    expect((kick?.at ?? 0) - (predicted ?? 0)).toBeGreaterThanOrEqual(0);
    expect((kick?.at ?? 0) - (predicted ?? 0)).toBeLessThanOrEqual(LAG_MS);
    expect(broker.logLines().some((l) => l.signature === "keepalive-timeout")).toBe(true);

    const brokerFirst = (kick?.at ?? 0) < clientTimeoutAt;
    expect(brokerFirst ? "broker" : "client").toBe(first);
    // by a clear margin, not by timer noise
    expect(Math.abs((kick?.at ?? 0) - clientTimeoutAt)).toBeGreaterThan(500);
  });
});

describe("the field case: the old path stalls for good, the client gives up and reconnects by a new one", () => {
  // As above, but the stall holds only the connection open at 15 s (scope existing) and the client reconnects
  // at once. With Q 10 s the broker still holds the old connection when the new CONNECT arrives: a takeover
  // (NanoMQ: Client ID collision → Object closed → rv 139). With Q 1 s the broker kicked it 1–2 s before.
  it.each([
    [10_000, "takeover"],
    [1000, "keepalive"],
  ] as const)("Q %i ms: the old connection ends by %s", async (retryIntervalMs, cause) => {
    const { clock, broker, trace } = await setup(retryIntervalMs);
    const id = `fleet-ka-handover-${retryIntervalMs}`;
    const c = await start(clock, broker, id, 10, {
      behaviour: "healthy",
      reconnect: { kind: "immediate" },
      link: { faults: [{ kind: "stall", atMs: STALL_AT_MS, forMs: null, scope: "existing" }] },
    });
    const [r] = c.records() as [ClientRecord];
    await until(
      () => r.reconnectedAt.length === 1 && trace.some((e) => e.type === "close"),
      8000,
      "the reconnect",
    );
    const timeoutAt = r.clientTimeoutAt ?? 0;
    expect(timeoutAt - lastReschedule(r, timeoutAt)).toBeGreaterThanOrEqual(15_000);
    expect((r.reconnectedAt[0] ?? 0) - timeoutAt).toBeLessThanOrEqual(RECONNECT_MS);
    const closes = trace.filter((e) => e.type === "close");
    expect(closes.map((e) => e.type === "close" && [e.clientId, e.cause])).toEqual([[id, cause]]);
    const ids = broker.logLines().map((l) => l.signature);
    if (cause === "takeover") {
      expect(ids).not.toContain("keepalive-timeout");
      expect(ids.indexOf("takeover")).toBeLessThan(ids.indexOf("recv-error"));
      expect(broker.logLines().find((l) => l.signature === "recv-error")?.line).toContain("Object closed");
    } else {
      expect(ids).toContain("keepalive-timeout");
      expect(ids).not.toContain("takeover");
    }
    // the new connection is up and healthy on the broker
    expect(broker.stats().connections).toBe(1);
  });
});

describe("PINGRESP lost on the way back", () => {
  it("the client times out on its own at 1.5 × keepalive while the broker sees a healthy client", async () => {
    const { clock, broker, trace } = await setup(1000);
    const id = "fleet-ka-pingresp-lost";
    const c = await start(clock, broker, id, 4, {
      behaviour: "healthy",
      link: { faults: [{ kind: "drop", packet: "pingresp" }] },
    });
    const [r] = c.records() as [ClientRecord];
    await until(() => r.closedAt !== null, 3000, "the client to give up");
    // PINGREQ at 4 s, no PINGRESP, "Keepalive timeout" at 6 s after CONNACK
    const timeout = (r.clientTimeoutAt ?? 0) - (r.connectedAt ?? 0);
    expect(timeout).toBeGreaterThanOrEqual(6000);
    expect(timeout).toBeLessThanOrEqual(6000 + LAG_MS);
    expect(r).toMatchObject({ closedBy: "client", closeKind: "FIN" });
    expect(r.events.filter((e) => e.packet === "pingresp")).toEqual([]);
    // the broker got the PINGREQ and answered it; it never kicked, and saw the client leave (FIN)
    expect(trace.some((e) => e.type === "packet-in" && e.packet === "pingreq")).toBe(true);
    expect(trace.some((e) => e.type === "packet-out" && e.packet === "pingresp")).toBe(true);
    expect(c.link?.events().filter((e) => e.kind === "dropped")).toHaveLength(1);
    await until(() => trace.some((e) => e.type === "close"), 2000, "the broker's close");
    expect(trace.some((e) => e.type === "kick")).toBe(false);
    expect(trace.find((e) => e.type === "close")).toMatchObject({ clientId: id, cause: "peer-closed" });
    const ids = broker.logLines().map((l) => l.signature);
    expect(ids).not.toContain("keepalive-timeout");
    expect(broker.logLines().find((l) => l.signature === "recv-error")?.line).toContain(
      "Connection shutdown",
    );
  });

  it("without the fault the same client keeps its PINGRESPs and never gives up", async () => {
    const { clock, broker } = await setup(1000);
    const c = await start(clock, broker, "fleet-ka-healthy", 4, {
      behaviour: "healthy",
      link: { faults: [] },
    });
    await clock.sleep(13_000);
    const [r] = c.records() as [ClientRecord];
    expect(r.clientTimeoutAt).toBeNull();
    expect(r.closedAt).toBeNull();
    expect(r.events.filter((e) => e.packet === "pingresp").length).toBeGreaterThanOrEqual(2);
  });
});
