import { afterEach, describe, expect, it } from "vitest";
import { type Broker, startBroker } from "../../../src/broker/index.js";
import type { EventClock } from "../../../src/core/event-clock.js";
import { inProcessEventClock } from "../../../src/core/in-flight.js";
import { runProbe } from "../../../src/probe/runner.js";
import type { ProbeResult } from "../../../src/probe/types.js";
import { probeTable } from "../../../src/report/probe-table.js";
import { stripAnsi } from "../../../src/report/width.js";
import { findingOf } from "../../helpers/probe-finding.js";
import { probeOptions } from "./probe-options.js";

const keepaliveOf = (r: ProbeResult) => findingOf(r, "keepalive");

interface Measured {
  inferred: {
    model: string;
    tickS: number;
    multiplier: number;
    multiplierRange: [number, number];
    open: unknown[];
  };
  samples: { keepalive: number; planned?: boolean; adaptive?: boolean }[];
  plan: {
    keepalives: number[];
    outcome: string;
    endedEarly: number;
    bounds: {
      lo: { multiplier: number; keepalives: number[] };
      hi: { multiplier: number; keepalives: number[] };
    };
  };
}

/**
 * The keepalive plan (the CLI's default) against the embedded broker, broker and probe on one event-driven clock
 * (src/core/event-clock.ts): results in clock seconds. The clock runs at real speed while bytes are in flight and
 * jumps to the next timer while every socket is quiet, so a minute of probe takes about a second, and a kick
 * fires at its due clock time however loaded the host. (On a scaled clock, × 2 took ~30 s, and faster ones failed
 * on a loaded host: 100 ms of real delay at × 4 put a kick 0.4 clock seconds late, past the fit's tolerance.)
 */
describe("the keepalive plan against the embedded broker", () => {
  let broker: Broker | undefined;
  let clock: EventClock | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
    clock?.stop();
    clock = undefined;
  });

  it("nanomq profile at NanoMQ's shipped settings (Q 10 s, M 1.25): Q and M pinned within 60 s", async () => {
    clock = inProcessEventClock();
    broker = await startBroker({
      profile: "nanomq",
      retryIntervalMs: 10_000,
      keepaliveMultiplier: 1.25,
      port: 0,
      clock,
    });
    const result = await runProbe(
      probeOptions(broker.url, {
        clock,
        checks: ["connect", "keepalive"],
        maxWaitMs: 60_000,
        keepalivePlan: true,
      }),
    );
    const m = keepaliveOf(result).measured as unknown as Measured;
    const seen = JSON.stringify({ inferred: m.inferred, plan: m.plan, samples: m.samples });
    expect(m.inferred.model, seen).toBe("tick");
    expect(m.inferred.tickS, seen).toBe(10);
    expect(m.inferred.open, seen).toEqual([]);
    expect(Math.abs(m.inferred.multiplier - 1.25)).toBeLessThanOrEqual(0.05);
    expect(m.inferred.multiplierRange[0]).toBeLessThanOrEqual(1.25);
    expect(m.inferred.multiplierRange[1]).toBeGreaterThan(1.25);
    // the kicks at 55 s (the 4th tick) decide, known at 56 s: about a minute of clock time (≈ 56.5 s on an idle
    // host; a loaded one stretches the CONNECTs and closes, doubled on this clock: 60.5 s seen at load 17)
    expect(result.durationMs).toBeLessThanOrEqual(65_000);
    expect(m.plan.outcome).toBe("tick");
    expect(m.plan.bounds.lo.multiplier).toBe(1.25);
    // every planned keepalive is a sample, marked as such; the staggered 1, 2, 4 are judged as before
    expect(m.samples.filter((s) => s.planned).map((s) => s.keepalive)).toEqual(m.plan.keepalives);
    expect(m.samples.filter((s) => !s.planned).map((s) => s.keepalive)).toEqual([1, 2, 4, 1, 2, 4, 1, 2, 4]);
    // the table (--details) sums the plan up in one line instead of a row per planned keepalive
    const table = stripAnsi(probeTable(result, 100, { details: true }));
    expect(table).toMatch(
      /plan: \d+ sessions at keepalive \d+–\d+ s, chosen to pin NanoMQ's keepalive_multiplier/,
    );
    expect(table).toMatch(/M ≥ 1\.25 from keepalive/);
    expect(table).not.toMatch(/^ +31 s: min/m);
  }, 90_000);

  it("spec profile: the plan's sessions stop at the first kicks and leave the samples as without it", async () => {
    clock = inProcessEventClock();
    broker = await startBroker({ profile: "spec", port: 0, clock });
    const result = await runProbe(
      probeOptions(broker.url, {
        clock,
        checks: ["connect", "keepalive"],
        maxWaitMs: 60_000,
        keepalivePlan: true,
      }),
    );
    const f = keepaliveOf(result);
    const m = f.measured as unknown as Measured;
    expect(f.status).toBe("pass");
    expect(m.plan.outcome).toBe("not-tick");
    expect(m.plan.endedEarly).toBe(m.plan.keepalives.length);
    expect(m.samples.map((s) => s.keepalive)).toEqual([1, 2, 4, 1, 2, 4, 1, 2, 4]);
    // as long as without the plan: the last staggered kick (1.5 × 4 s after a start ≤ 6 s) ends the check
    expect(result.durationMs).toBeLessThan(15_000);
  }, 60_000);
});
