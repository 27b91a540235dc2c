import { afterEach, describe, expect, it } from "vitest";
import { startBroker, type TraceEvent } from "../../../src/broker/index.js";
import { scaledClock } from "../../../src/core/clock.js";
import { type BehaviourSpec, startClient } from "../../../src/fleet/behaviour-spec.js";
import type { FleetClient } from "../../../src/fleet/types.js";

/**
 * Any behaviour that loses its connection comes back with the spec's reconnect policy and clean flag
 * (src/fleet/reconnect-after.ts): a silent late-ping client is kicked by the spec broker (keepalive 1 s → kicked
 * 1.5 s after CONNECT) and reconnects as an MQTT.js client; the broker's trace shows the second CONNECT, and its
 * session is resumed when the clean flag is off. Clock ×10.
 */
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function run(spec: BehaviourSpec) {
  const clock = scaledClock(10);
  const broker = await startBroker({ port: 0, clock, profile: "spec" });
  stops.push(() => broker.close());
  const trace: TraceEvent[] = [];
  broker.on("trace", (e) => trace.push(e));
  const client: FleetClient = await startClient(
    { clock, target: broker, clientId: "mqdiag-reconnect-after-1", keepaliveS: 1, answerTimeoutMs: 2000 },
    spec,
  );
  stops.push(() => client.stop());
  const deadline = performance.now() + 3000;
  while (client.records()[0]?.reconnectedAt.length === 0 && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 5));
  return { record: client.records()[0], trace, broker, client };
}

describe("reconnect after a drop, for every behaviour", () => {
  it("a kicked late-ping client reconnects at once with the same id; clean off keeps its session", async () => {
    const { record, trace, broker } = await run({
      behaviour: "late-ping",
      pingOnTime: false,
      intervalMs: null,
      reconnect: { kind: "immediate" },
      clean: false,
    });
    expect(record?.closedBy).toBe("broker");
    expect(record?.reconnectedAt).toHaveLength(1);
    expect(record?.notes.reconnectAttempts).toBe(1);
    expect(record?.notes.reconnectFailures).toBeUndefined();
    const kick = trace.find((e) => e.type === "kick");
    expect(kick?.clientId).toBe("mqdiag-reconnect-after-1");
    // reconnected right after the close: within 1000 clock ms (100 real ms at ×10: a loaded 2-core machine)
    expect((record?.reconnectedAt[0] ?? 0) - (record?.closedAt ?? 0)).toBeLessThan(1000);
    expect(trace.filter((e) => e.type === "connect")).toHaveLength(2);
    expect(broker.stats().sessions).toBe(1);
  });

  it("no policy: the client stays down; backoff waits its first delay", async () => {
    const none = await run({ behaviour: "late-ping", pingOnTime: false, intervalMs: null });
    expect(none.record?.reconnectedAt).toEqual([]);
    await none.client.done;
    const backoff = await run({
      behaviour: "late-ping",
      pingOnTime: false,
      intervalMs: null,
      reconnect: { kind: "backoff", initialMs: 1000, maxMs: 4000 },
    });
    const gap = (backoff.record?.reconnectedAt[0] ?? 0) - (backoff.record?.closedAt ?? 0);
    expect(gap).toBeGreaterThanOrEqual(1000);
    expect(gap).toBeLessThan(2000);
  });
});
