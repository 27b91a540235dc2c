import mqttPacket, { type Packet } from "mqtt-packet";
import { afterEach, describe, expect, it } from "vitest";
import { startBroker } from "../../../src/broker/index.js";
import { createNanomqModel } from "../../../src/broker/keepalive/nanomq.js";
import { createPipeTick, type PipeTickPhase } from "../../../src/broker/keepalive/pipe-tick.js";
import type { TickInfo } from "../../../src/broker/keepalive/types.js";
import type { Broker, TraceEvent } from "../../../src/broker/types.js";
import { type Clock, manualClock } from "../../../src/core/clock.js";
import { prng, seedFor } from "../../../src/core/prng.js";
import { DEFAULT_PROFILE_OPTIONS, type TickFault } from "../../../src/core/profile.js";
import { nanomqShouldKick } from "../../../src/keepalive/nanomq-arithmetic.js";
import { tickSchedule } from "../../../src/keepalive/tick-fault.js";
import { type RawClient, rawConnectMqtt } from "../../helpers/raw-client.js";

const Q = 1000;

describe("one NanoMQ pipe tick: its duties in NanoMQ's order", () => {
  const plain = (k: number) => 1500 + k * Q;

  it("live: check (sees n before the tick), n += 1, resend (sees n after); cached: n += 1, then cached", () => {
    const clock = manualClock();
    const tick = createPipeTick(clock, { tickAt: plain, stopsAtKick: true });
    const seen: string[] = [];
    const log = (phase: PipeTickPhase) =>
      tick.on(phase, ({ at, counter }) => seen.push(`${at} ${phase} n=${counter}`));
    log("check");
    log("resend");
    log("cached");
    clock.advanceTo(2600);
    tick.touch(); // an inbound packet at 2.6 s
    clock.advanceTo(3500);
    tick.endLive(); // the connection went; "cached" is still there, so the timer runs on
    clock.advanceTo(4500);
    expect(seen).toEqual([
      "1500 check n=0",
      "1500 resend n=1",
      "2500 check n=1",
      "2500 resend n=2",
      "3500 check n=0",
      "3500 resend n=1",
      "4500 cached n=2",
    ]);
  });

  it("a tick that has not fired yet is the one a new duty sees first (also at the same instant)", () => {
    const clock = manualClock();
    const tick = createPipeTick(clock, { tickAt: plain, stopsAtKick: true });
    clock.advanceTo(1499);
    const first: number[] = [];
    tick.on("resend", ({ at }) => first.push(at));
    clock.advanceTo(1500);
    expect(first).toEqual([1500]);
    expect(tick.nextAt()).toBe(2500);
  });

  it("the timer stops with the connection when nothing waits on the kept pipe: no timer left", () => {
    const clock = manualClock();
    const tick = createPipeTick(clock, { tickAt: plain, stopsAtKick: true });
    tick.on("check", () => {});
    expect(clock.pending()).toBe(1);
    tick.endLive();
    expect(clock.pending()).toBe(0);
    expect(tick.nextAt()).toBeUndefined();
  });

  it.each([
    { stopsAtKick: true, cached: [] },
    { stopsAtKick: false, cached: [3500] },
  ])("a kick in the check: stopsAtKick $stopsAtKick → cached ticks $cached", ({ stopsAtKick, cached }) => {
    const clock = manualClock();
    const tick = createPipeTick(clock, { tickAt: plain, stopsAtKick });
    const seen: number[] = [];
    tick.on("check", ({ at }) => {
      if (at < 2500) return;
      const stop = tick.on("cached", (t) => {
        seen.push(t.at);
        stop();
      });
      tick.endLive(); // what the connection's close does
    });
    clock.advanceTo(10_000);
    expect(seen).toEqual(cached);
    expect(clock.pending()).toBe(0);
  });
});

/** A manual clock that counts the timers set on it: each one a firing (on the event-driven clock, a jump). */
function countingClock() {
  const clock = manualClock();
  let armed = 0;
  const counting: Clock = {
    ...clock,
    setTimeout: (fn, ms) => {
      armed += 1;
      return clock.setTimeout(fn, ms);
    },
  };
  return { clock, counting, armed: () => armed };
}

/**
 * The pipe's timer leaves out the ticks at which nothing can happen (QuietDuty): a silent client at keepalive
 * 3600 s on NanoMQ's defaults (Q 10 s, M 1.25) is kicked by its 452nd tick, and the timer fires twice, not 452
 * times. The reference is the same model with one more duty on the pipe that has no QuietDuty, so that every tick
 * fires, as before.
 */
describe("idle ticks left out: the same kick, the same ticks, far fewer firings", () => {
  const KA = 3_600_000;
  const faults: { name: string; fault?: TickFault }[] = [
    { name: "no fault" },
    { name: "drift −25 %, jitter 3 s", fault: { drift: -0.25, jitterMs: 3000, seed: 5 } },
    { name: "drift +10 %, jitter 500 ms", fault: { drift: 0.1, jitterMs: 500, seed: 3 } },
  ];

  /** One silent KA 3600 client from CONNECT at 0, with inbound packets at `packets`; every tick until it is kicked. */
  const silent = (fault: TickFault | undefined, everyTick: boolean, packets: number[] = []) => {
    const { clock, counting, armed } = countingClock();
    const model = createNanomqModel(counting, {
      ...DEFAULT_PROFILE_OPTIONS,
      nanomqVersion: [0, 25, 3],
      ...(fault ? { tickFault: fault } : {}),
    });
    const ticks: TickInfo[] = [];
    let kickAt: number | undefined;
    const pipe = model.openPipeTick?.();
    if (!pipe) throw new Error("nanomq opens a pipe tick");
    if (everyTick) pipe.on("resend", () => {});
    const onKick = (k: { at: number }) => {
      kickAt ??= k.at;
      pipe.endLive(); // what the connection's close does
    };
    const watch = model.watch(KA, { onKick, onTick: (t) => ticks.push(t) }, pipe);
    for (const at of packets) {
      clock.advanceTo(at);
      watch.touch();
    }
    clock.advanceTo(20_000_000);
    return { ticks, kickAt, armed: armed() };
  };

  it.each(faults)("$name: a silent KA 3600 client is kicked at the same ms as tick by tick", ({ fault }) => {
    const skipping = silent(fault, false);
    const everyTick = silent(fault, true);
    expect(skipping.kickAt).toBeDefined();
    expect(skipping.kickAt).toBe(everyTick.kickAt);
    // every tick traced at its own instant with its n, as when each one fired
    expect(skipping.ticks).toEqual(everyTick.ticks);
    expect(everyTick.ticks).toHaveLength(452); // n = 0 … 451: 451 · 10 s > 4500 s
    if (!fault) expect(skipping.kickAt).toBe(15_000 + 451 * 10_000);
    expect(everyTick.armed).toBe(452);
    expect(skipping.armed).toBe(1);
  });

  it.each(faults)(
    "$name: packets reset n as tick by tick (one at a tick's instant counts after it)",
    ({ fault }) => {
      // a packet mid-way between ticks, and one at the instant of tick 300 of the plain schedule (3015 s)
      const packets = [2_000_007, 3_015_000];
      const skipping = silent(fault, false, packets);
      const everyTick = silent(fault, true, packets);
      expect(skipping.kickAt).toBe(everyTick.kickAt);
      expect(skipping.ticks).toEqual(everyTick.ticks);
      // the tick at 3015 s runs before the packet there (n = 101), the next sees n = 0; kicked at n = 451 after it
      if (!fault) expect(skipping.kickAt).toBe(3_015_000 + 452 * 10_000);
      expect(skipping.armed).toBeLessThanOrEqual(3);
    },
  );

  it("a duty woken mid-way gets every tick while it has work, and none after", () => {
    const run = (everyTick: boolean) => {
      const { clock, counting, armed } = countingClock();
      const tick = createPipeTick(counting, { tickAt: (k) => 15_000 + k * 10_000, stopsAtKick: true });
      let work = 0;
      const acted: string[] = [];
      tick.on(
        "resend",
        ({ at, counter }) => {
          if (work === 0) return;
          work -= 1;
          acted.push(`${at} n=${counter}`);
        },
        everyTick ? undefined : { actsAt: (n) => (work > 0 ? n : Number.POSITIVE_INFINITY) },
      );
      clock.advanceTo(1_000_003);
      work = 2; // two messages queued between the ticks at 995 s and 1005 s
      tick.wake();
      clock.advanceTo(4_000_000);
      return { acted, armed: armed(), nextAt: tick.nextAt(), counter: tick.counter };
    };
    const skipping = run(false);
    const everyTick = run(true);
    expect(skipping.acted).toEqual(["1005000 n=100", "1015000 n=101"]);
    expect(skipping.acted).toEqual(everyTick.acted);
    // the schedule and n run on alike; the idle ticks after the work are left out again
    expect(skipping.nextAt).toBe(everyTick.nextAt);
    expect(skipping.counter).toBe(everyTick.counter);
    expect(skipping.armed).toBe(2);
  });
});

/**
 * The embedded broker on NanoMQ's defaults, a manual clock: a subscriber at keepalive 3600 s with Receive Maximum 1
 * that never answers; two QoS 1 messages come for it mid-way between two ticks, 1000.003 s after its CONNECT: the
 * first goes at once, the second waits for the first tick at which it is 1.25 Q old (1015 s); the kick is still at
 * its 452nd tick, and every tick is traced, with few of them fired.
 */
describe("a KA 3600 pipe with idle ticks left out: a message queued mid-way still gets its ticks", () => {
  let broker: Broker | undefined;
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await broker?.close();
    broker = undefined;
  });

  it("drip at the 1015 s tick, kick at 4525 s, all 452 ticks traced", async () => {
    const { clock, counting, armed } = countingClock();
    const b = await startBroker({
      port: 0,
      clock: counting,
      profile: "nanomq",
      nanomqVersion: [0, 25, 3],
      retryIntervalMs: 10_000,
      keepaliveMultiplier: 1.25,
    });
    broker = b;
    const trace: TraceEvent[] = [];
    b.on("trace", (e) => trace.push(e));
    const connect = async (clientId: string, extra: Partial<mqttPacket.IConnectPacket>) => {
      const c = await rawConnectMqtt(b.port, { clientId, protocolVersion: 5, ...extra });
      clients.push(c);
      return c;
    };
    const sub = await connect("sub", { keepalive: 3600, properties: { receiveMaximum: 1 } });
    sub.send(
      mqttPacket.generate(
        { cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "t", qos: 1 }] },
        { protocolVersion: 5 },
      ),
    );
    await sub.waitForPackets(2, 5);
    const pub = await connect("pub", { keepalive: 0 });
    clock.advanceTo(1_000_003);
    const firedBefore = armed();
    for (const messageId of [1, 2])
      pub.send(
        mqttPacket.generate(
          {
            cmd: "publish",
            topic: "t",
            payload: `m${messageId}`,
            qos: 1,
            messageId,
            dup: false,
            retain: false,
          },
          { protocolVersion: 5 },
        ),
      );
    await pub.waitForPackets(3, 5); // CONNACK and two PUBACKs
    await sub.waitForPackets(3, 5); // the first PUBLISH
    clock.advanceTo(1_012_000);
    expect(sub.packets(5)).toHaveLength(3); // the second waits for its tick
    clock.advanceTo(5_000_000);
    await sub.waitForPackets(4, 5);

    const out = trace.filter(
      (e) => e.type === "packet-out" && e.clientId === "sub" && e.packet === "publish",
    );
    expect(out.map((e) => e.at)).toEqual([1_000_003, 1_015_000]);
    expect(trace.find((e) => e.type === "kick")?.at).toBe(15_000 + 451 * 10_000);
    const ticks = trace.filter((e) => e.type === "tick" && e.clientId === "sub");
    expect(ticks.map((e) => e.at)).toEqual(Array.from({ length: 452 }, (_, k) => 15_000 + k * 10_000));
    expect(ticks.map((e) => (e.type === "tick" ? e.counter : undefined))).toEqual(
      Array.from({ length: 452 }, (_, k) => (k === 451 ? 451 : k + 1)),
    );
    // from the publish on: the drip's ticks (1005 s: too young, 1015 s: sent, 1025 s: nothing left), the kick,
    // the close's grace timers — not the 353 ticks between
    expect(armed() - firedBefore).toBeLessThan(20);
  });
});

/**
 * The real MQTT-C 1.1.6 at keepalive 3 synced every 100 ms pings on whole seconds, every ~4.007 s
 * (test/integration/nanomq/mqtt-c-kick.test.ts); NanoMQ (Q 1 s, M 1.25) kicks at the tick that sees n = 4 > 3.75.
 * Pings 13 ms after the ticks: the real 0.25.3 counts each one after its tick and never kicks such a client (measured
 * there). The embedded broker's timers run late when its event loop is held (tens of ms on a loaded machine): a ping
 * read after a tick's time but before its timer ran once counted before that tick, so the tick counted against it
 * and the client was kicked one ping later, at 7.5 s (measured: 6 of 20 MQTT-C clients kicked within 48 s, the
 * real NanoMQ beside it 1 of 20). A tick whose time has come now runs before the packet is counted.
 */
describe("a late timer counts ticks and packets in the order of their times", () => {
  /** A manual clock whose timers fire `lateMs` after their time (a held event loop). */
  const late = (clock: ReturnType<typeof manualClock>, lateMs: number): Clock => ({
    ...clock,
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms + lateMs),
  });

  it.each([0, 20, 400])(
    "timers %i ms late: pings 13 ms after the ticks, every 4.007 s: no kick in 30 s",
    (lateMs) => {
      const clock = manualClock();
      const tick = createPipeTick(late(clock, lateMs), { tickAt: (k) => 1500 + k * Q, stopsAtKick: true });
      const checks: string[] = [];
      tick.on("check", ({ at, counter }) => {
        if (nanomqShouldKick(counter, Q, 3000, 1.25)) checks.push(`kick ${at}`);
      });
      for (let ping = 3513; ping < 30_000; ping += 4007) {
        clock.advanceTo(ping);
        tick.touch();
      }
      clock.advanceTo(30_000 + lateMs);
      expect(checks).toEqual([]);
    },
  );

  it("a packet read after a tick's time, before its timer ran: the tick goes first", () => {
    const clock = manualClock();
    const tick = createPipeTick(late(clock, 50), { tickAt: (k) => 1500 + k * Q, stopsAtKick: true });
    const seen: string[] = [];
    tick.on("check", ({ counter }) => seen.push(`n=${counter}`));
    clock.advanceTo(5520); // ticks at 1.5, 2.5, 3.5, 4.5 s have run; the 5.5 s one is due, its timer not yet run
    tick.touch();
    expect(seen).toEqual(["n=0", "n=1", "n=2", "n=3", "n=4"]);
    expect(tick.counter).toBe(0);
  });
});

/**
 * The embedded nanomq broker on a manual clock, raw clients on loopback: the kick, the Receive Maximum drip, the
 * session-resume re-sends and the will each happen at an instant of their pipe's ONE schedule — the plain one, and
 * under a simulated tick fault (each pipe's lateness drawn from seedFor(seed, "tick-<pipe index>"), pipes counted
 * from 1 in CONNECT order, src/broker/keepalive/nanomq.ts).
 */
describe("kick, drip, resume and will follow their pipe's tick", () => {
  let broker: Broker | undefined;
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await broker?.close();
    broker = undefined;
  });

  const faults: { name: string; fault?: TickFault }[] = [
    { name: "no fault" },
    { name: "drift −25 %, jitter 300 ms", fault: { drift: -0.25, jitterMs: 300, seed: 7 } },
    { name: "drift +10 %, jitter 500 ms", fault: { drift: 0.1, jitterMs: 500, seed: 3 } },
  ];

  it.each(faults)("$name", async ({ fault }) => {
    const clock = manualClock();
    const b = await startBroker({
      port: 0,
      clock,
      profile: "nanomq",
      nanomqVersion: [0, 25, 3],
      retryIntervalMs: Q,
      keepaliveMultiplier: 1.25,
      ...(fault ? { tickFault: fault } : {}),
    });
    broker = b;
    const trace: TraceEvent[] = [];
    b.on("trace", (e) => trace.push(e));
    /** Tick instants of pipe n (connected at connectAt), as the model draws them, up to `until`. */
    const schedule = (n: number, connectAt: number, until: number) => {
      const draw = fault ? prng(seedFor(fault.seed, `tick-${n}`)) : () => 0;
      const at = tickSchedule(connectAt, Q, fault, draw);
      const out: number[] = [];
      for (let k = 0; at(k) <= until; k++) out.push(at(k));
      return out;
    };
    const connect = async (clientId: string, extra: Partial<mqttPacket.IConnectPacket> = {}) => {
      const c = await rawConnectMqtt(b.port, { clientId, protocolVersion: 5, ...extra });
      clients.push(c);
      return c;
    };
    const send = async (c: RawClient, packet: Packet, answers: number) => {
      const before = c.packets(5).length;
      c.send(mqttPacket.generate(packet, { protocolVersion: 5 }));
      await c.waitForPackets(before + answers, 5);
    };
    const publishOut = (clientId: string) =>
      trace.filter((e) => e.type === "packet-out" && e.clientId === clientId && e.packet === "publish");

    // pipe 1: a subscriber with Receive Maximum 1 and keepalive 2 s that never answers (kicked at n = 3 > 2.5)
    const sub = await connect("sub", { keepalive: 2, properties: { receiveMaximum: 1 } });
    await send(sub, { cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "t", qos: 1 }] }, 1);
    // pipe 2: the publisher and the will's watcher (keepalive 0: never kicked)
    const pub = await connect("pub", { keepalive: 0 });
    await send(pub, { cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "will/#", qos: 0 }] }, 1);
    // pipe 3: a session that goes away subscribed
    const away = await connect("r", {
      keepalive: 60,
      clean: false,
      properties: { sessionExpiryInterval: 60 },
    });
    await send(away, { cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "q", qos: 1 }] }, 1);
    const gone = (clientId: string) =>
      new Promise<void>((resolve) => {
        const seen = (e: TraceEvent) => {
          if (e.type !== "close" || e.clientId !== clientId) return;
          b.off("trace", seen);
          resolve();
        };
        b.on("trace", seen);
      });
    let closed = gone("r");
    away.destroy();
    await closed;
    for (const [i, topic] of ["t", "t", "q", "q", "q"].entries())
      await send(
        pub,
        { cmd: "publish", topic, payload: `m${i}`, qos: 1, messageId: 10 + i, dup: false, retain: false },
        1,
      );

    // at clock 0 still: pipe 4, the session resumed, with a will (delay 0) for when it drops
    const back = await connect("r", {
      keepalive: 60,
      clean: false,
      properties: { sessionExpiryInterval: 60 },
      will: {
        topic: "will/r",
        payload: Buffer.from("gone"),
        qos: 0,
        retain: false,
        properties: { willDelayInterval: 0 },
      },
    });
    const ticks1 = schedule(1, 0, 20_000);
    const ticks4 = schedule(4, 0, 20_000);
    const dropAt = (ticks4[2] ?? 0) + 1;
    clock.advanceTo(dropAt); // the drip, the three re-sends (and the kick, if it is due by now)
    closed = gone("r");
    back.destroy();
    await closed;
    clock.advanceTo(dropAt + 4000); // the kick, the will on the kept pipe 4's next tick

    // the kick: pipe 1's 4th tick (n = 0, 1, 2 → 3 > 2.5), and every check before it on pipe 1's ticks
    const kick = trace.find((e) => e.type === "kick");
    expect(kick?.at).toBe(ticks1[3]);
    expect(trace.filter((e) => e.type === "tick" && e.clientId === "sub").map((e) => e.at)).toEqual(
      ticks1.slice(0, 4),
    );
    // the drip: the 2nd message goes at pipe 1's first tick at which it is ≥ 1.25 Q old
    const drip = publishOut("sub").map((e) => e.at);
    expect(drip).toEqual([0, ticks1.find((t) => t >= 1.25 * Q)]);
    // the resume: one re-send per tick of pipe 4, from its first
    const resumed = publishOut("r").map((e) => e.at);
    expect(resumed).toEqual(ticks4.slice(0, 3));
    // the will: the first tick of the kept pipe 4 after the drop (its delay, 0, counted from CONNECT, has passed)
    const will = publishOut("pub").map((e) => e.at);
    expect(will).toEqual([ticks4.find((t) => t > dropAt)]);
  });
});

/**
 * A kick and the kept session's will (clean start 0, Will Delay 1 s, keepalive 1 s, Q = 1 s: kicked at the 3.5 s
 * tick). Measured once per version with a raw client (docs/nanomq-fidelity.md, "One tick per pipe"): 0.25.3 stops the
 * pipe's timer at the kick, so no will (none within 6 s); 0.21.9 ticks on, and the will goes at the next tick (4.52 s).
 */
describe("a kicked pipe's kept session, per version", () => {
  let broker: Broker | undefined;
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await broker?.close();
    broker = undefined;
  });

  it.each([
    { version: [0, 25, 3] as const, will: [] },
    { version: [0, 21, 9] as const, will: [4500] },
  ])("$version: will at $will", async ({ version, will }) => {
    const clock = manualClock();
    const b = await startBroker({
      port: 0,
      clock,
      profile: "nanomq",
      nanomqVersion: version,
      retryIntervalMs: Q,
    });
    broker = b;
    const trace: TraceEvent[] = [];
    b.on("trace", (e) => trace.push(e));
    const watcher = await rawConnectMqtt(b.port, { clientId: "w", protocolVersion: 5, keepalive: 60 });
    clients.push(watcher);
    watcher.send(
      mqttPacket.generate(
        { cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "will/#", qos: 0 }] },
        { protocolVersion: 5 },
      ),
    );
    await watcher.waitForPackets(2, 5);
    const kicked = await rawConnectMqtt(b.port, {
      clientId: "k",
      protocolVersion: 5,
      keepalive: 1,
      clean: false,
      properties: { sessionExpiryInterval: 60 },
      will: {
        topic: "will/k",
        payload: Buffer.from("gone"),
        qos: 0,
        retain: false,
        properties: { willDelayInterval: 1 },
      },
    });
    clients.push(kicked);
    clock.advanceTo(10_000);
    expect(trace.find((e) => e.type === "kick")?.at).toBe(3500);
    const out = trace.filter((e) => e.type === "packet-out" && e.clientId === "w" && e.packet === "publish");
    expect(out.map((e) => e.at)).toEqual(will);
    // the session is kept for ever on 0.25.3 (nothing ends it on a tick); 0.21.9's will tick ended it
    expect(b.stats().sessions).toBe(will.length === 0 ? 2 : 1);
  });
});
