import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeFinding } from "../../../src/probe/findings.js";
import { type CliResult, runCli } from "../../helpers/cli.js";
import { type Nanomq, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";

interface Measured {
  inferred: {
    model: string;
    tickS: number;
    multiplier: number;
    multiplierRange: [number, number];
    open: unknown[];
  };
  samples: { keepalive: number; kickAfter: number | null; planned?: boolean }[];
  plan: { outcome: string; keepalives: number[]; bounds: { lo: { multiplier: number } } };
}

/**
 * The default probe's keepalive check (`mqdiag probe <url> --checks connect,keepalive`: samples 1, 2, 4 three
 * times each, max-wait 60 s, the keepalive plan on) against the real NanoMQ 0.25.3 at its shipped settings,
 * retry_interval 10 s and keepalive_multiplier 1.25: Q and M pinned to ±0.05 within a minute. Without the plan
 * every staggered session is kicked at 25 s, which says only M < 2.5. One probe: ~1 min.
 */
describe.runIf(nanomqAvailable("0.25.3"))(
  "the keepalive plan against real NanoMQ 0.25.3 (Q 10 s, M 1.25)",
  () => {
    let broker: Nanomq;
    let run: CliResult;
    let wallMs: number;
    beforeAll(async () => {
      broker = await startNanomq("0.25.3", { retryIntervalS: 10, multiplier: 1.25 });
      const t0 = performance.now();
      run = await runCli(["probe", broker.url, "--checks", "connect,keepalive", "--format", "json"], {
        timeoutMs: 90_000,
      });
      wallMs = performance.now() - t0;
    }, 120_000);
    afterAll(async () => {
      await broker?.stop();
    });

    it("pins Q 10 s and M 1.25 ± 0.05, the probe within 60 s", () => {
      expect(run.code, run.stderr).toBe(0);
      const doc = JSON.parse(run.stdout) as { durationMs: number; checks: ProbeFinding[] };
      const f = doc.checks.find((c) => c.id === "keepalive") as ProbeFinding;
      const m = f.measured as unknown as Measured;
      expect(m.inferred.model).toBe("tick");
      expect(Math.abs(m.inferred.tickS - 10)).toBeLessThanOrEqual(0.05);
      expect(m.inferred.open).toEqual([]);
      expect(Math.abs(m.inferred.multiplier - 1.25)).toBeLessThanOrEqual(0.05);
      const [lo, hi] = m.inferred.multiplierRange;
      expect(lo).toBeLessThanOrEqual(1.25);
      expect(hi).toBeGreaterThan(1.25);
      expect(hi - lo).toBeLessThanOrEqual(0.05);
      expect(m.plan.outcome).toBe("tick");
      // the probe's own wall time; the process adds Node's start (~0.3 s, more on a loaded host)
      expect(doc.durationMs).toBeLessThanOrEqual(60_000);
      expect(wallMs).toBeLessThanOrEqual(65_000);
      // the staggered sessions are judged as without the plan: 1.5·Q + Q = 25 s after CONNECT, a late kick
      expect(f.code).toBe("late-kick");
      for (const s of m.samples.filter((x) => !x.planned))
        expect(Math.abs((s.kickAfter as number) - 25)).toBeLessThan(0.5);
    });
  },
);
