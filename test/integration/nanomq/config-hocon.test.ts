import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildConfigReport } from "../../../src/config/config-report.js";
import { interpretNanomqConf } from "../../../src/config/nanomq-conf.js";
import { NANOMQ_VERSIONS, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";
import { rawConnectMqtt } from "../../helpers/raw-client.js";

/**
 * The `mqdiag config` claims about how NanoMQ's HOCON reader (`nanomq start --conf`) takes the two keepalive keys,
 * proved on the real brokers. The helper writes `retry_interval = 1s` and `keepalive_multiplier = 1.25` into
 * `mqtt { }`; each case's line follows them in the same block, where the last same-named field wins:
 * - `retry_interval = 1S`: get_time knows no capital S and NanoMQ stores 0 s → never kicked;
 * - `keepalive_multiplier = "3"`: a string is skipped, and it still displaced the 1.25 before it → the code
 *   default 1.5 (keepalive 2: kicked at 1.5 + 4 = 5.5 s; 1.25 would be 4.5 s, 3 would be 8.5 s);
 * - `keepalive_multiplier = .5`: NanoMQ's scanner drops the dot → 5 (keepalive 1: 7.5 s; 0.5 would be 2.5 s).
 * mqdiag reads the very file the broker was started with and must predict the same.
 */
interface Case {
  name: string;
  line: string;
  keepalive: number;
  predictedMs: number | null;
  finding: string;
}

const CASES: Case[] = [
  {
    name: "retry_interval = 1S is 0 s: never kicked",
    line: "retry_interval = 1S",
    keepalive: 1,
    predictedMs: null,
    finding: "retry-interval-zero",
  },
  {
    name: 'keepalive_multiplier = "3" is skipped: the default 1.5, kicked at 5.5 s',
    line: 'keepalive_multiplier = "3"',
    keepalive: 2,
    predictedMs: 5500,
    finding: "value-ignored",
  },
  {
    name: "keepalive_multiplier = .5 is read as 5: kicked at 7.5 s",
    line: "keepalive_multiplier = .5",
    keepalive: 1,
    predictedMs: 7500,
    finding: "value-coerced",
  },
];

for (const version of NANOMQ_VERSIONS) {
  describe.runIf(nanomqAvailable(version))(`mqdiag config vs the real NanoMQ ${version} --conf`, () => {
    it.each(CASES)("$name", async (c) => {
      const nanomq = await startNanomq(version, { retryIntervalS: 1, multiplier: 1.25, mqtt: [c.line] });
      try {
        const text = readFileSync(join(nanomq.dir, "nanomq.conf"), "utf8");
        const report = buildConfigReport("nanomq.conf", interpretNanomqConf(text), [c.keepalive]);
        expect(report.format).toBe("hocon");
        expect(report.keepalives[0]?.kickAfterSilentConnectMs ?? null).toBe(c.predictedMs);
        expect(report.findings.map((f) => f.code)).toContain(c.finding);

        const client = await rawConnectMqtt(nanomq.port, {
          clientId: `cfg-${Date.now()}`,
          keepalive: c.keepalive,
        });
        const end = await client.waitForEnd((c.predictedMs ?? 5000) + 1500);
        client.destroy();
        if (c.predictedMs === null) {
          expect(end.kind).toBe("open");
          expect(nanomq.logSinceReady()).not.toMatch(/KeepAlive timeout/);
        } else {
          expect(end.kind).not.toBe("open");
          expect(end.afterConnectMs).toBeGreaterThan(c.predictedMs - 300);
          expect(end.afterConnectMs).toBeLessThan(c.predictedMs + 400);
          await nanomq.waitForLog(/kick client due to KeepAlive timeout/);
        }
      } finally {
        await nanomq.stop();
      }
    });
  });
}
