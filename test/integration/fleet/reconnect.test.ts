import { afterEach, describe, expect, it } from "vitest";
import { type Broker, startBroker, type TraceEvent } from "../../../src/broker/index.js";
import { type Clock, scaledClock } from "../../../src/core/clock.js";
import { prng, seedFor } from "../../../src/core/prng.js";
import { type BehaviourSpec, startClient } from "../../../src/fleet/behaviour-spec.js";
import { type ReconnectPolicy, reconnectDelayMs } from "../../../src/fleet/reconnect-policy.js";
import type { ClientRecord, FleetClient } from "../../../src/fleet/types.js";

/**
 * Reconnect policies of the MQTT.js fleet client, all on the clock (×4). A reset on the link drops the client
 * (it sees an RST); a stall meanwhile holds its attempts (their CONNECT never reaches the broker, so they fail
 * at the answer timeout). Expected reconnect times come from the policy's own arithmetic and the same seeded
 * PRNG; tolerance 120 clock ms per attempt late (30 real ms at ×4: a loaded 2-core machine), never early.
 */
const SCALE = 4;
const LAG_PER_STEP_MS = 120;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function setup(): Promise<{ clock: Clock; broker: Broker; trace: TraceEvent[] }> {
  const clock = scaledClock(SCALE);
  const broker = await startBroker({ port: 0, clock, profile: "spec" });
  stops.push(() => broker.close());
  const trace: TraceEvent[] = [];
  broker.on("trace", (e) => trace.push(e));
  return { clock, broker, trace };
}

async function start(
  clock: Clock,
  broker: Broker,
  clientId: string,
  spec: BehaviourSpec,
  answerTimeoutMs = 1000,
) {
  const client: FleetClient = await startClient(
    { clock, target: broker, clientId, keepaliveS: 60, answerTimeoutMs },
    spec,
  );
  stops.push(() => client.stop());
  return client;
}

async function until(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("reconnectDelayMs", () => {
  const backoff: ReconnectPolicy = { kind: "backoff", initialMs: 1000, maxMs: 5000, factor: 2, jitter: 0.5 };

  it("none never, immediate at once then every retryMs", () => {
    const rand = prng(1);
    expect(reconnectDelayMs({ kind: "none" }, 1, rand)).toBeNull();
    expect(reconnectDelayMs({ kind: "immediate" }, 1, rand)).toBe(0);
    expect(reconnectDelayMs({ kind: "immediate" }, 2, rand)).toBe(1000);
    expect(reconnectDelayMs({ kind: "immediate", retryMs: 250 }, 3, rand)).toBe(250);
  });

  it("backoff: doubling, capped at maxMs, jitter takes off at most half; no jitter is exact", () => {
    const rand = prng(9);
    for (let attempt = 1; attempt <= 8; attempt++) {
      const base = Math.min(5000, 1000 * 2 ** (attempt - 1));
      for (let k = 0; k < 50; k++) {
        const d = reconnectDelayMs(backoff, attempt, rand) ?? -1;
        expect(d).toBeGreaterThan(base / 2);
        expect(d).toBeLessThanOrEqual(base);
      }
    }
    const exact: ReconnectPolicy = { kind: "backoff", initialMs: 500, maxMs: 3000 };
    expect([1, 2, 3, 4, 5].map((n) => reconnectDelayMs(exact, n, rand))).toEqual([
      500, 1000, 2000, 3000, 3000,
    ]);
  });

  it("the same seed gives the same delays", () => {
    const delays = (seed: number) => [1, 2, 3].map((n) => reconnectDelayMs(backoff, n, prng(seed)));
    expect(delays(seedFor(3, "a"))).toEqual(delays(seedFor(3, "a")));
    expect(delays(seedFor(3, "a"))).not.toEqual(delays(seedFor(3, "b")));
  });
});

describe("reconnect policies after a drop", () => {
  const reset = { kind: "reset" as const, atMs: 2000 };

  it("none: the client stays down and its session is done", async () => {
    const { clock, broker } = await setup();
    const c = await start(clock, broker, "fleet-rc-none", {
      behaviour: "healthy",
      link: { faults: [reset] },
    });
    await c.done;
    const [r] = c.records() as [ClientRecord];
    expect(r).toMatchObject({
      closedBy: "broker",
      closeKind: "RST",
      reconnectedAt: [],
      clientTimeoutAt: null,
    });
    await clock.sleep(2000);
    expect(r.reconnectedAt).toEqual([]);
  });

  it("immediate: back at once after the drop, with the same client id, and the record keeps the drop", async () => {
    const { clock, broker, trace } = await setup();
    const c = await start(clock, broker, "fleet-rc-immediate", {
      behaviour: "healthy",
      reconnect: { kind: "immediate" },
      link: { faults: [reset] },
    });
    const [r] = c.records() as [ClientRecord];
    await until(() => r.reconnectedAt.length === 1, 8000, "the reconnect");
    const gap = (r.reconnectedAt[0] ?? 0) - (r.closedAt ?? 0);
    expect(gap).toBeGreaterThanOrEqual(0);
    expect(gap).toBeLessThanOrEqual(2 * LAG_PER_STEP_MS);
    expect(r).toMatchObject({ closedBy: "broker", closeKind: "RST" });
    expect(trace.filter((e) => e.type === "connect").map((e) => e.type === "connect" && e.clientId)).toEqual([
      "fleet-rc-immediate",
      "fleet-rc-immediate",
    ]);
    await c.stop();
    expect(broker.stats().connections).toBe(0);
  });

  it("backoff with jitter: attempts held by a stall fail at the answer timeout; times as the policy says", async () => {
    const { clock, broker } = await setup();
    const id = "fleet-rc-backoff";
    const policy: ReconnectPolicy = {
      kind: "backoff",
      initialMs: 1000,
      maxMs: 2500,
      factor: 2,
      jitter: 0.5,
      seed: 3,
    };
    // seed 3 draws 761, 1055, 2108 ms: the third attempt starts ~8 s, 0.5 s before the stall ends, and is
    // dialed through at its end; no attempt boundary lies within 0.45 s of it, so timer lag (at most 3 × 120 ms
    // allowed) cannot change the story
    const stallEnd = 8500;
    const answerMs = 1000;
    const c = await start(
      clock,
      broker,
      id,
      {
        behaviour: "healthy",
        reconnect: policy,
        link: { faults: [reset, { kind: "stall", atMs: 2000, forMs: stallEnd - 2000 }] },
      },
      answerMs,
    );
    const [r] = c.records() as [ClientRecord];
    await until(() => r.reconnectedAt.length === 1, 8000, "the reconnect");
    // replay the policy from the drop: each attempt held by the stall fails answerMs later
    const rand = prng(seedFor(3, id));
    const stallEndAt = (c.link?.startedAt ?? 0) + stallEnd;
    let t = r.closedAt ?? 0;
    let attempts = 0;
    let expected = 0;
    for (;;) {
      attempts++;
      t += reconnectDelayMs(policy, attempts, rand) ?? 0;
      if (t >= stallEndAt) expected = t;
      else if (t + answerMs > stallEndAt) expected = stallEndAt;
      else {
        t += answerMs;
        continue;
      }
      break;
    }
    expect(attempts).toBe(3);
    const late = (r.reconnectedAt[0] ?? 0) - expected;
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThanOrEqual(attempts * LAG_PER_STEP_MS);
    // the attempts held by the stall never reached the broker: one CONNECT before the drop, one after
    expect(c.link?.events().filter((e) => e.kind === "dialed")).toHaveLength(2);
    expect(c.link?.events().filter((e) => e.kind === "accepted").length).toBe(attempts + 1);
  });
});
