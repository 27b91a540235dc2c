import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildConfigReport } from "../../../src/config/config-report.js";
import { interpretNanomqConf } from "../../../src/config/nanomq-conf.js";
import { NANOMQ_VERSIONS, nanomqAvailable, nanomqPath, startNanomq } from "../../helpers/nanomq.js";
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

// Every case on a broker of its own: the cases and the builds side by side.
const CONCURRENT = { concurrent: true };
for (const version of NANOMQ_VERSIONS) {
  describe.runIf(nanomqAvailable(version))(
    `mqdiag config vs the real NanoMQ ${version} --conf`,
    CONCURRENT,
    () => {
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
    },
  );
}

/** `nanomq start --conf <file>` that must fail while reading the file: its exit code (killed after 10 s if not). */
async function startFails(bin: string, conf: string): Promise<number | string | null> {
  const dir = mkdtempSync(join(tmpdir(), "mqdiag-nanomq-reject-"));
  try {
    const child = spawn(bin, ["start", "--conf", conf], {
      cwd: dir,
      env: { ...process.env, NANOMQ_PID_FILE: join(dir, "nanomq.pid") },
      stdio: "ignore",
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    const [code, signal] = await new Promise<[number | null, string | null]>((r) =>
      child.once("exit", (c, s) => r([c, s])),
    );
    clearTimeout(timer);
    return code ?? signal;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.runIf(nanomqAvailable("0.25.3"))("NanoMQ 0.25.3 refuses what mqdiag config says it refuses", () => {
  const shipped = (file: string) =>
    fileURLToPath(new URL(`../../fixtures/conf/nanomq-0.25.3/${file}`, import.meta.url));
  it.each([
    ["nanomq_old.conf", "flat-format"],
    ["nanomq_example.conf", "value-rejected"],
  ])("--conf %s: exits 1 while parsing (mqdiag: %s)", async (file, code) => {
    const conf = interpretNanomqConf(readFileSync(shipped(file), "utf8"));
    expect(buildConfigReport(file, conf).findings.map((f) => f.code)).toContain(code);
    expect(await startFails(nanomqPath("0.25.3") as string, shipped(file))).toBe(1);
  });
});
