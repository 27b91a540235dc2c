import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Broker, startBroker } from "../../../src/broker/index.js";
import { type Nanomq, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";
import { measureResume, type ResumeResult, unackedResends } from "../broker/sessions-resume.js";

/**
 * Persistent sessions on the real NanoMQ and the embedded nanomq profile side by side (retry_interval Q = 1 s): a
 * subscriber with clean session off leaves (DISCONNECT), N QoS 1/2 messages are published, it comes back; what
 * arrives within a wait. 0.25.3 re-sends its session cache from the pipe's keepalive timer, one message per tick,
 * each with DUP (nmq_mqtt.c nano_pipe_timer_cb): the first 1.5 s after CONNECT, then one a second: 3 within 4 s
 * whatever N (arrivals at 1.5, 2.5, 3.5 s; a wait of 3.5 s sits on a tick and gives 2 or 3), all of them given N
 * ticks. Two other outcomes were measured on the real 0.25.3 (bench/sessions-measure.ts, 1 run in 3 each): one
 * message out at once without DUP before the three ticks (4 delivered, order k, 0, 1, 2: k = n−1 in those runs,
 * k = 5 of 10 once in a full-suite run on a loaded machine), and a tick that
 * skips one (order 0, 1, 3); the real broker may give those, the profile gives the first. 0.21.9 sent none of them in
 * ~45 measured runs (the profile does the same); its broker refused connections (ECONNREFUSED) mid-file in two of
 * five full-suite runs: most likely it had crashed — session-resume's runs caught 0.21.9 crashing (SIGABRT,
 * SIGSEGV) once a persistent session is removed by a clean CONNECT (docs/sessions.md), which measureResume does
 * after each case, so its side-by-side cases stay out of this file. QoS 0 is out too: once a QoS 0 message published while
 * the subscriber was away reached it after the resume (0.25.3) — a race in the procedure, not yet pinned down.
 */
const counts = (r: ResumeResult) => ({
  sessionPresent: r.sessionPresent,
  delivered: r.delivered,
  duplicated: r.duplicated,
  dupFlags: r.dupFlags,
  order: r.order,
});

/** The cases, each on a real broker and an embedded one of its own (both sides at once), all cases side by side. */
const PAIRS = 6;
interface Pair {
  real: Nanomq;
  embedded: Broker;
}

describe.runIf(nanomqAvailable("0.25.3"))(
  "persistent sessions: real NanoMQ 0.25.3 and the nanomq profile",
  { concurrent: true },
  () => {
    const pairs: Pair[] = [];
    let next = 0;
    /** A case's own pair of brokers. */
    const pair = (): Pair => {
      const p = pairs[next++];
      if (!p) throw new Error("more cases than broker pairs (PAIRS)");
      return p;
    };
    // Every broker up before any case starts: starting a real NanoMQ (a spawn, synchronous file work) stalls this
    // process for a moment, which would shift a running case's reads.
    beforeAll(async () => {
      pairs.push(
        ...(await Promise.all(
          Array.from({ length: PAIRS }, async () => ({
            real: await startNanomq("0.25.3", { retryIntervalS: 1 }),
            embedded: await startBroker({
              port: 0,
              profile: "nanomq",
              nanomqVersion: [0, 25, 3],
              retryIntervalMs: 1000,
            }),
          })),
        )),
      );
    });
    afterAll(async () => {
      await Promise.all(pairs.map((p) => Promise.all([p.real.stop(), p.embedded.close()])));
    });

    it("QoS 1, 10 queued: all 10 within 12 s, on both", async () => {
      const { real, embedded } = pair();
      const c = { n: 10, qos: 1 as const, waitMs: 12_000 };
      const [r, e] = await Promise.all([measureResume(real.url, c), measureResume(embedded.url, c)]);
      expect(counts(r)).toEqual(counts(e));
      expect(r.delivered).toBe(10);
    }, 30_000);

    for (const c of [
      { n: 5, qos: 1 as const },
      { n: 10, qos: 1 as const },
      { n: 10, qos: 2 as const },
    ]) {
      it(`QoS ${c.qos}, ${c.n} queued: 3 delivered within 4 s (1.5 s, then one per 1 s tick, DUP), on both`, async () => {
        const { real, embedded } = pair();
        const [r, e] = await Promise.all([
          measureResume(real.url, { ...c, waitMs: 4000 }),
          measureResume(embedded.url, { ...c, waitMs: 4000 }),
        ]);
        const ticks = { sessionPresent: true, delivered: 3, duplicated: 0, dupFlags: 3, order: [0, 1, 2] };
        expect(counts(e)).toEqual(ticks);
        // the real broker: the ticks, or one of the two other measured outcomes (see above); the message sent at
        // once was the last one (n−1) in the measured runs and message 5 of 10 once in a loaded full-suite run
        const seen = counts(r);
        const atOnce = seen.order[0] ?? -1;
        expect([
          ticks,
          { ...ticks, order: [0, 1, 3] },
          { ...ticks, delivered: 4, order: [atOnce >= 3 && atOnce < c.n ? atOnce : c.n - 1, 0, 1, 2] },
        ]).toContainEqual(seen);
      }, 30_000);
    }

    /**
     * Which of the pipe's ticks a re-send came at: 0 for the first (1.5 s after CONNECT), 1 for the next (2.5 s)….
     * Counted from the client's TCP connect to its read of the packet, which can only be late (a held test process,
     * a busy broker), never early: a tick is told apart as long as the read is under ~950 ms late.
     */
    const tickOf = (ms: number) => Math.floor((ms - 1450) / 1000);

    for (const qos of [1, 2] as const) {
      /*
       * The real 0.25.3 keeps the message in its session cache until it is acknowledged and its pipe's tick re-sends
       * the oldest kept one each tick (nmq_mqtt.c nano_pipe_timer_cb, broker_tcp.c NMQ_OPT_MQTT_GET_QOS_RESEND): the
       * same PUBLISH, DUP, same packet id, at every tick. Measured (this helper's reads, from the TCP connect): QoS 1,
       * 40 runs, first at 1502–1576 ms, the next 2507–2659 ms, the third 3504–3515 (10 of them with three CPU hogs
       * beside); QoS 2, 5 runs, 1524–1583 / 2518–2593 / 3522–3654 ms — never a tick missed. It used to be read once,
       * 2 s after the reconnect, and CI once read nothing: a test process held over both the 1.5 s arrival and its
       * 2 s timer runs the timer first and reads the socket after (libuv's timers come before its poll), so the
       * window only looked empty. Now each re-send is waited for, and only which tick it came at is asserted.
       */
      it(`an unacknowledged QoS ${qos} PUBLISH comes again with DUP and its packet id at each tick (1.5 s, 2.5 s), on both`, async () => {
        const { real, embedded } = pair();
        const [r, e] = await Promise.all([
          unackedResends(real.port, real.url, qos, 2),
          unackedResends(embedded.port, embedded.url, qos, 2),
        ]);
        const again = { cmd: "publish", dup: true, qos, payload: "once", sameId: true };
        expect(r.packets).toEqual([again, again]);
        expect(e.packets).toEqual([again, again]);
        expect(r.atMs.map(tickOf)).toEqual([0, 1]);
        expect(e.atMs.map(tickOf)).toEqual([0, 1]);
      }, 20_000);
    }
  },
);
