import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Baseline } from "../../../src/probe/baseline.js";
import type { FindingOf, ProbeFinding } from "../../../src/probe/findings.js";
import type { Identified } from "../../../src/probe/identify.js";
import { runProbe } from "../../../src/probe/runner.js";
import type { BaselineComparison, ProbeResult } from "../../../src/probe/types.js";
import { probeAdvice } from "../../../src/report/probe-summary.js";
import { type CliResult, runCli } from "../../helpers/cli.js";
import { type Nanomq, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";
import { findingOf } from "../../helpers/probe-finding.js";
import { probeOptions } from "../probe/probe-options.js";

/**
 * The probe against real NanoMQ (retry_interval Q = 1 s): the keepalive check must fit NanoMQ's tick model with
 * the configured Q and M, and a baseline saved against one config must catch a change of M (1.25 → 1.5) and
 * nothing else. Each probe: three keepalives (one session each), then the adaptive round; ≈ 10–30 s. The
 * probes run side by side, the two baseline checks as soon as the baseline is saved: about 35 s. The baseline runs sample keepalives 2, 3, 4: at
 * Q 1 s keepalive 1 is kicked at exactly 1.5 × 1 + 2 s, the late-kick threshold, so its status would flip on a
 * millisecond of latency.
 */
const KEEPALIVE_ONLY = ["--keepalive-samples", "2,3,4", "--keepalive-sessions", "1", "--max-wait", "25s"];

interface Inferred {
  model: string;
  tickS: number;
  multiplier: number;
  multiplierRange: [number, number];
  open: unknown[];
}

const keepaliveOf = (checks: ProbeFinding[]) => findingOf({ checks }, "keepalive");

/** Tick, Q 1 s, M within ±0.05 of the configured one, its range holding it, nothing left open. */
function expectTick(f: FindingOf<"keepalive">, multiplier: number): void {
  const inferred = f.measured.inferred as Inferred;
  expect(inferred.model).toBe("tick");
  expect(inferred.tickS).toBe(1);
  expect(Math.abs(inferred.multiplier - multiplier)).toBeLessThanOrEqual(0.05);
  expect(inferred.multiplierRange[0]).toBeLessThanOrEqual(multiplier);
  expect(inferred.multiplierRange[1]).toBeGreaterThan(multiplier);
  expect(inferred.open).toEqual([]);
  // no longer "≈1.4× keepalive, no visible sweep" with mosquitto's advice
  expect((f.measured.reading as { code: string }).code).toBe("tick");
  const advice = probeAdvice(f) ?? "";
  expect(advice).toContain("mqtt.retry_interval");
  expect(advice).toContain("mqtt.keepalive_multiplier");
  expect(advice).not.toMatch(/mosquitto|sweep/);
}

describe.runIf(nanomqAvailable("0.25.3") && nanomqAvailable("0.21.9"))(
  "mqdiag probe against real NanoMQ (Q 1 s)",
  () => {
    let v25: Nanomq; // M 1.25
    let v25m15: Nanomq; // M 1.5
    let v21: Nanomq; // M 1.25
    let v25q10: Nanomq; // Q 10 s, M 1.25: NanoMQ's shipped settings
    let shipped: ProbeResult;
    let dir: string;
    let baselineFile: string;
    let old: ProbeResult;
    let saved: CliResult;
    let same: CliResult;
    let changed: CliResult;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "mqdiag-probe-nanomq-"));
      baselineFile = join(dir, "nanomq.baseline.json");
      [v25, v25m15, v21, v25q10] = await Promise.all([
        startNanomq("0.25.3", { retryIntervalS: 1, multiplier: 1.25 }),
        startNanomq("0.25.3", { retryIntervalS: 1, multiplier: 1.5 }),
        startNanomq("0.21.9", { retryIntervalS: 1, multiplier: 1.25 }),
        startNanomq("0.25.3", { retryIntervalS: 10, multiplier: 1.25 }),
      ]);
      // the same config again (JSON), and M 1.5 (the table a CI log shows): as soon as the baseline is saved
      const check = (url: string, format: string) =>
        runCli(
          [
            "probe",
            url,
            "--checks",
            "connect,keepalive,malformed",
            ...KEEPALIVE_ONLY,
            "--baseline",
            baselineFile,
            "--format",
            format,
          ],
          { timeoutMs: 60_000 },
        );
      // 0.21.9 programmatically, while the binary records a baseline against 0.25.3 (M 1.25) and then checks both
      // configs against it
      [old, [saved, same, changed], shipped] = await Promise.all([
        runProbe(
          probeOptions(v21.url, {
            checks: ["connect", "keepalive"],
            keepaliveSamples: [1, 2, 4],
            sessionsPerSample: 1,
            maxWaitMs: 25_000,
          }),
        ),
        (async () => {
          const s = await runCli(
            [
              "probe",
              v25.url,
              "--checks",
              "connect,keepalive,malformed",
              ...KEEPALIVE_ONLY,
              "--keepalive",
              "60",
              "--save-baseline",
              baselineFile,
              "--format",
              "json",
            ],
            { timeoutMs: 60_000 },
          );
          const [j, t] = await Promise.all([check(v25.url, "json"), check(v25m15.url, "table")]);
          return [s, j, t] as const;
        })(),
        // Q 10 s within a 30 s wait, all sessions at once: every kick at 25 s, no room for another round
        runProbe(
          probeOptions(v25q10.url, {
            checks: ["connect", "keepalive"],
            keepaliveSamples: [1, 2, 4],
            sessionsPerSample: 1,
            staggerMs: 0,
            maxWaitMs: 30_000,
          }),
        ),
      ]);
    }, 120_000);
    afterAll(async () => {
      await Promise.all([v25?.stop(), v25m15?.stop(), v21?.stop(), v25q10?.stop()]);
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("0.21.9: fits the tick model, Q 1 s, M 1.25 ± 0.05; advice names retry_interval and keepalive_multiplier", () => {
      const f = keepaliveOf(old.checks);
      expectTick(f, 1.25);
      // the kicks of keepalive 1, 2, 4 silent since CONNECT: 3.5, 4.5, 7.5 s (docs/broker-facts.md)
      const groups = f.measured.groups as { keepalive: number; median: number }[];
      const byKeepalive = Object.fromEntries(groups.map((g) => [g.keepalive, g.median]));
      for (const [k, t] of [
        [1, 3.5],
        [2, 4.5],
        [4, 7.5],
      ] as const) {
        expect(Math.abs((byKeepalive[k] as number) - t)).toBeLessThan(0.1);
      }
      // two signs name NanoMQ: the tick, and the CONNACK's `2a 01 29 01 28 01`, which is 0.21.9's set
      expect(old.identified).toMatchObject({ broker: "nanomq", confidence: "medium", agreeing: 2 });
      expect(old.identified?.evidence.find((e) => e.signal === "connack-properties")).toMatchObject({
        order: [
          "sharedSubscriptionAvailable",
          "subscriptionIdentifiersAvailable",
          "wildcardSubscriptionAvailable",
        ],
        matched: { broker: "nanomq", build: "0.21.9" },
      });
      expect(shipped.identified).toMatchObject({ broker: "nanomq", confidence: "medium" });
    });

    it("0.25.3 (the binary): tick, Q 1 s, M 1.25 ± 0.05; --keepalive 60 answered from the model", () => {
      const doc = JSON.parse(saved.stdout) as { checks: ProbeFinding[]; identified: Identified };
      // 0.25.3 adds `22 00 00 27 <max>` to the CONNACK: told apart from 0.21.9
      expect(doc.identified).toMatchObject({ broker: "nanomq", confidence: "medium" });
      expect(doc.identified.evidence.find((e) => e.signal === "connack-properties")).toMatchObject({
        matched: { broker: "nanomq", build: "0.25.3" },
      });
      const f = keepaliveOf(doc.checks);
      expectTick(f, 1.25);
      // 1.5·Q + Q·(⌊60·M/Q⌋ + 1) after CONNECT: 77.5 s at M 1.25 (up to 78.5 s across the fitted range)
      const answer = f.measured.forKeepalive as { afterConnect: { min: number }; beforeSpec: boolean };
      expect(answer.afterConnect.min).toBe(77.5);
      expect(answer.beforeSpec).toBe(true);
      // NanoMQ keeps the connection open after packet type 0: a failing check, exit 1 without a baseline
      expect(doc.checks.find((c) => c.id === "malformed")).toMatchObject({
        status: "fail",
        code: "left-open",
      });
      expect(saved.code).toBe(1);
    });

    it("0.25.3 at Q 10 s within a 30 s wait: tick, tickS 10; the multiplier stated open with the wait that would pin it", () => {
      const f = keepaliveOf(shipped.checks);
      const inferred = f.measured.inferred as Omit<Inferred, "open"> & {
        open: { parameter: string; range: number[]; needMaxWaitS: number }[];
      };
      expect(inferred.model).toBe("tick");
      expect(inferred.tickS).toBe(10);
      // 25 s for keepalive 1, 2 and 4 says only keepalive × M < 10 s for keepalive 4: M < 2.5
      expect(inferred.multiplier).toBeNull();
      expect(inferred.multiplierRange).toEqual([0, 2.5]);
      const open = inferred.open.find((o) => o.parameter === "multiplier");
      expect(open?.range).toEqual([0, 2.5]);
      expect(open?.needMaxWaitS).toBeGreaterThan(100);
      expect(probeAdvice(f)).toContain("mqtt.retry_interval = 10 s");
    });

    it("--save-baseline records the fitted model and each check's outcome", () => {
      const b = JSON.parse(readFileSync(baselineFile, "utf8")) as Baseline;
      expect(b.schema).toBe("mqdiag.probe-baseline/v1");
      expect(b.keepalive).toMatchObject({ model: "tick", tickS: 1, multiplier: 1.25 });
      expect(b.checks.find((c) => c.id === "malformed")).toEqual({
        id: "malformed",
        status: "fail",
        code: "left-open",
        deviations: ["left-open", "left-open:packet-type-0"],
      });
    });

    it("the same config against its baseline: exit 0, the packet-type-0 deviation reported as known", () => {
      expect(same.code).toBe(0);
      const baseline = (JSON.parse(same.stdout) as { baseline: BaselineComparison }).baseline;
      expect(baseline.drifted).toBe(false);
      expect(baseline.drift).toEqual([]);
      expect(baseline.notes).toContainEqual({
        code: "known-deviation",
        check: "malformed",
        status: "fail",
        deviations: ["left-open", "left-open:packet-type-0"],
      });
    });

    it("M 1.25 → 1.5 against the baseline: exit 1, the report names the multiplier that moved", () => {
      expect(changed.code).toBe(1);
      expect(changed.stdout).toMatch(/Baseline .*nanomq\.baseline\.json[\s\S]*DRIFT/);
      // e.g. "keepalive multiplier moved: 1.25–1.273 → 1.5–1.545 (tolerance: ranges must overlap)"
      const line = changed.stdout.split("\n").find((l) => l.includes("keepalive multiplier moved")) ?? "";
      expect(line).toMatch(/moved: 1\.25–1\.\d+ → 1\.5–1\.\d+ \(tolerance: ranges must overlap\)/);
      // nothing else drifted: the tick is the same, malformed is the known deviation
      expect(changed.stdout).not.toContain("tick (retry_interval) moved");
      expect(changed.stdout).toMatch(/malformed: known deviation/);
    });
  },
);
