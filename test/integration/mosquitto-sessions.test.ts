import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Broker, startBroker } from "../../src/broker/index.js";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../helpers/mosquitto.js";
import { measureResume, type ResumeResult, unackedAgain } from "./broker/sessions-resume.js";

/**
 * Persistent sessions on the real mosquitto (2.0.11, Debian) and the embedded mosquitto profile side by side: a
 * subscriber with clean session off leaves (DISCONNECT), N messages are published, it comes back; what arrives
 * within 1 s. Measured (3 runs each, no variance): every QoS 1/2 message at once, in order, no DUP, none twice;
 * QoS 0 none (src/broker/sessions/session-policy.ts, MOSQUITTO_SESSION_POLICY). Every resume has client ids and
 * topics of its own, so the cases, and the two brokers within one, run side by side.
 */
const WAIT_MS = 1000;
const CASES = [
  { n: 5, qos: 1 as const, protocolVersion: 4 as const },
  { n: 10, qos: 1 as const, protocolVersion: 4 as const },
  { n: 10, qos: 2 as const, protocolVersion: 4 as const },
  { n: 10, qos: 1 as const, protocolVersion: 5 as const },
  { n: 5, qos: 0 as const, protocolVersion: 4 as const },
];
const counts = (r: ResumeResult) => ({
  sessionPresent: r.sessionPresent,
  delivered: r.delivered,
  lost: r.lost,
  duplicated: r.duplicated,
  dupFlags: r.dupFlags,
  order: r.order,
});

describe
  .runIf(mosquittoAvailable())
  .concurrent("persistent sessions: real mosquitto and the mosquitto profile", () => {
    let real: Mosquitto;
    let embedded: Broker;
    beforeAll(async () => {
      real = await startMosquitto();
      embedded = await startBroker({ port: 0, profile: "mosquitto" });
    });
    afterAll(async () => {
      await real?.stop();
      await embedded?.close();
    });

    for (const c of CASES) {
      it(`MQTT ${c.protocolVersion === 4 ? "3.1.1" : "5"}, QoS ${c.qos}, ${c.n} queued: the same counts, twice`, async () => {
        const all = c.qos === 0 ? [] : Array.from({ length: c.n }, (_, i) => i);
        for (let run = 0; run < 2; run++) {
          const [r, e] = await Promise.all([
            measureResume(real.url, { ...c, waitMs: WAIT_MS }),
            measureResume(embedded.url, { ...c, waitMs: WAIT_MS }),
          ]);
          expect(counts(r)).toEqual(counts(e));
          expect(counts(r)).toMatchObject({
            sessionPresent: true,
            delivered: all.length,
            duplicated: 0,
            order: all,
          });
        }
      }, 30_000);
    }

    it("a full queue (mosquitto's default max_queued_messages, 1000): the first 1000 kept, one line when dropping starts, on both", async () => {
      const id = (side: string) => `mqdiag-overflow-${side}-${process.pid}`;
      const line = (side: string) => `Outgoing messages are being dropped for client ${id(side)}.`;
      const [r, e] = await Promise.all([
        measureResume(real.url, { n: 1005, qos: 1, clientId: id("real"), waitMs: WAIT_MS }),
        measureResume(embedded.url, { n: 1005, qos: 1, clientId: id("embedded"), waitMs: WAIT_MS }),
      ]);
      for (const result of [r, e]) expect(result).toMatchObject({ delivered: 1000, duplicated: 0 });
      expect(counts(e)).toEqual(counts(r));
      const realLines = real
        .log()
        .split("\n")
        .filter((l) => l.endsWith(line("real")));
      const embeddedLines = embedded.logLines().filter((l) => l.line.endsWith(line("embedded")));
      expect(realLines).toHaveLength(1);
      expect(embeddedLines).toHaveLength(1);
      expect(embeddedLines[0]?.line).toMatch(/^\d+: Outgoing messages are being dropped for client /);
    }, 30_000);

    for (const qos of [1, 2] as const) {
      it(`an unacknowledged QoS ${qos} PUBLISH comes again with DUP and its packet id, on both`, async () => {
        const [r, e] = await Promise.all([
          unackedAgain(real.port, real.url, qos, 1000),
          unackedAgain(embedded.port, embedded.url, qos, 1000),
        ]);
        expect(r).toEqual(e);
        expect(r).toEqual([{ cmd: "publish", dup: true, qos, payload: "once", sameId: true }]);
      }, 20_000);
    }
  });
