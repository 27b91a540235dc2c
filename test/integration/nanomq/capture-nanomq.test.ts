import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Nanomq, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";
import { tcpdumpAvailable } from "../../helpers/tcpdump.js";
import { captureFiveCases, type FiveCases } from "../capture/five-cases.js";

/**
 * The real NanoMQ 0.25.3 (Q 1 s, M 1.25, log level info) under tcpdump -i lo: `mqdiag capture --retry-interval 1s
 * --broker-log` on the capture must give each case the verdict the clients saw, the kick on NanoMQ's tick, and join
 * NanoMQ's lines to the same connections (its info-level `pipe close!` lines name the clients).
 */
const runs = tcpdumpAvailable() && nanomqAvailable("0.25.3");

describe.runIf(runs)(
  "mqdiag capture on a real tcpdump capture of the real NanoMQ 0.25.3, with its log",
  () => {
    let dir: string;
    let broker: Nanomq;
    let cases: FiveCases;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "mqdiag-tcpdump-nanomq-"));
      broker = await startNanomq("0.25.3", { retryIntervalS: 1, multiplier: 1.25, level: "info" });
      // silent at keepalive 1: NanoMQ's tick model kicks it 1.5 + 2 × 1 = 3.5 s after CONNECT
      cases = await captureFiveCases(dir, broker, ["--retry-interval", "1s", "--broker-log", broker.logPath]);
    }, 40_000);

    afterAll(async () => {
      await broker?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    const of = (id: string) => cases.connections.filter((c) => c.clientId === id);

    it("each case's verdict, the kick on NanoMQ's tick, and its info lines joined by client id", () => {
      expect(cases.code).toBe(1);
      expect(of("healthy")).toMatchObject([{ ending: "client-disconnect", cause: "none" }]);
      expect(cases.silentEnd?.kind).toBe("fin");
      const [silent] = of("silent");
      expect(silent).toMatchObject({
        ending: "kicked",
        cause: "client-late",
        brokerLog: [{ kind: "keepalive-timeout", by: "client-id" }],
      });
      // the model's instant; NanoMQ's timers may fire late on a loaded machine (never early: it counts ticks)
      const lateMs = Date.parse(silent?.kick?.at ?? "") - Date.parse(silent?.kick?.earliest ?? "");
      expect(lateMs).toBeGreaterThan(-50);
      expect(lateMs).toBeLessThan(1000);
      expect(of("resetter")).toMatchObject([{ ending: "client-reset", cause: "none" }]);
      expect(of("twin")[0]).toMatchObject({ ending: "takeover", cause: "duplicate-client-id" });
      expect(of("garbler")).toMatchObject([{ ending: "malformed", cause: "malformed" }]);
    });
  },
);
