import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildConfigReport, type ConfigReport } from "../../../src/config/config-report.js";
import { interpretNanomqConf } from "../../../src/config/nanomq-conf.js";
import { NANOMQ_VERSIONS, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";
import { rawConnectMqtt } from "../../helpers/raw-client.js";

/**
 * The `mqdiag config` claims about the old flat format, proved on the real brokers started as
 * `nanomq start --old_conf <file>` (Q = qos_duration=1, one keepalive-1 client silent from its CONNECT):
 * - keepalive_backoff=1250 is a multiplier of 1250, not 1.25 (not divided by 1000): the tick model puts the kick
 *   at 1.5 + 1251 = 1252.5 s, so the client is still connected long after the 3.5 s a multiplier of 1.25 gives;
 * - keepalive_backoff=1.25 kicks it at 3.5 s (the control: the same file read the same way);
 * - keepalive_backoff=abc is atof's 0: kicked at the second tick, 2.5 s;
 * - qos_duration=0.5 is atoi's 0: never kicked.
 * Each case first reads the very file the broker was started with through mqdiag's config module and takes the
 * prediction from there, so what is compared is mqdiag's reading against NanoMQ's. The case's line comes after the
 * helper's own `keepalive_backoff=1.25` / `qos_duration=1`, so the cases also prove that the LAST line wins.
 */
const OPEN_FOR_S = 6;

interface Case {
  name: string;
  lines: string[];
  /** What mqdiag must predict for keepalive 1 silent from CONNECT (ms; null = never). */
  predictedMs: number | null;
  finding: string | null;
}

const CASES: Case[] = [
  {
    name: "keepalive_backoff=1250: never kicked within the test (predicted 1252.5 s), the trap",
    lines: ["keepalive_backoff=1250"],
    predictedMs: 1_252_500,
    finding: "keepalive-backoff-trap",
  },
  {
    name: "keepalive_backoff=1.25: kicked at 3.5 s",
    lines: ["keepalive_backoff=1.25"],
    predictedMs: 3500,
    finding: null,
  },
  {
    name: "keepalive_backoff=abc (atof → 0): kicked at 2.5 s",
    lines: ["keepalive_backoff=abc"],
    predictedMs: 2500,
    finding: "value-coerced",
  },
  {
    name: "qos_duration=0.5 (atoi → 0): never kicked",
    lines: ["qos_duration=0.5"],
    predictedMs: null,
    finding: "retry-interval-zero",
  },
];

// Every case on a broker of its own: the cases and the builds side by side.
const CONCURRENT = { concurrent: true };
for (const version of NANOMQ_VERSIONS) {
  describe.runIf(nanomqAvailable(version))(
    `mqdiag config vs the real NanoMQ ${version} --old_conf`,
    CONCURRENT,
    () => {
      it.each(CASES)("$name", async (c) => {
        const nanomq = await startNanomq(version, { retryIntervalS: 1, oldConf: c.lines });
        try {
          const text = readFileSync(join(nanomq.dir, "nanomq.conf"), "utf8");
          const report: ConfigReport = buildConfigReport("nanomq.conf", interpretNanomqConf(text), [1]);
          expect(report.format).toBe("flat");
          expect(report.keepalives[0]?.kickAfterSilentConnectMs ?? null).toBe(c.predictedMs);
          if (c.finding) expect(report.findings.map((f) => f.code)).toContain(c.finding);

          const client = await rawConnectMqtt(nanomq.port, { clientId: `cfg-${Date.now()}`, keepalive: 1 });
          const end = await client.waitForEnd(
            (c.predictedMs !== null && c.predictedMs < 5000 ? 5 : OPEN_FOR_S) * 1000,
          );
          client.destroy();
          if (c.predictedMs !== null && c.predictedMs < 5000) {
            expect(end.kind).not.toBe("open");
            expect(end.afterConnectMs).toBeGreaterThan(c.predictedMs - 300);
            expect(end.afterConnectMs).toBeLessThan(c.predictedMs + 400);
            await nanomq.waitForLog(/kick client due to KeepAlive timeout/);
          } else {
            expect(end.kind).toBe("open");
            expect(nanomq.logSinceReady()).not.toMatch(/KeepAlive timeout/);
          }
        } finally {
          await nanomq.stop();
        }
      });
    },
  );
}
