import { describe, expect, it } from "vitest";
import type { TraceEvent } from "../../../src/broker/types.js";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions, type TickFault } from "../../../src/core/profile.js";
import { predictKickWindow } from "../../../src/keepalive/predict.js";
import { budgetOutcome } from "../../../src/scenarios/keepalive-budget.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import { toleranceMs } from "../../../src/scenarios/time-scale.js";
import {
  DEFAULT_SCENARIO_OPTIONS,
  type ScenarioOptions,
  type ScenarioResult,
} from "../../../src/scenarios/types.js";

/**
 * The SIMULATED nanomq tick fault (--tick-jitter / --tick-drift) on the embedded broker at a scaled clock. A model of
 * a faulty nng timer: the real NanoMQ has no such knob, so there is no real-broker side here. Q 1 s, keepalive 2 s,
 * M 1.25: N = 3, a kick is the 4th tick after a packet.
 */
const profile = (tickFault?: Partial<TickFault>): ProfileOptions => ({
  ...DEFAULT_PROFILE_OPTIONS,
  retryIntervalMs: 1000,
  ...(tickFault ? { tickFault: { jitterMs: 0, drift: 0, seed: 1, ...tickFault } } : {}),
});

async function run(
  name: "late-ping" | "keepalive-budget",
  p: ProfileOptions,
  options: Partial<ScenarioOptions>,
) {
  const result = await runScenarios({
    names: [name],
    profile: p,
    options: { ...DEFAULT_SCENARIO_OPTIONS, keepaliveS: 2, ...options },
    timeScale: "auto",
  });
  return result.scenarios[0] as ScenarioResult;
}

const subject = (s: ScenarioResult, prefix: string) =>
  s.clients
    .filter((c) => c.clientId.startsWith(prefix))
    .map((c) => ({ closedBy: c.closedBy, closedAt: c.closedAt }));

/** The window the model gives for a client from the broker's own record of its CONNECT and inbound packets. */
function windowOf(s: ScenarioResult, p: ProfileOptions, clientId: string) {
  const mine = s.trace.filter((e) => "clientId" in e && e.clientId === clientId);
  const connect = mine.find((e) => e.type === "connect") as Extract<TraceEvent, { type: "connect" }>;
  const kick = mine.find((e) => e.type === "kick") as Extract<TraceEvent, { type: "kick" }>;
  const inboundAt = mine.filter((e) => e.type === "packet-in" && e.at > connect.at).map((e) => e.at);
  return {
    kickAt: kick?.at,
    window: predictKickWindow(p, { keepaliveMs: 2000, connectAt: connect.at, inboundAt }),
  };
}

describe("simulated tick fault on the embedded nanomq broker", () => {
  it("(a) a client pinging every keepalive exactly: survives the true timer, kicked when it runs 50 % fast", async () => {
    // late-ping --ping-at 1: the PINGREQ on time, then every 1 × keepalive: on time for good.
    const plain = await run("late-ping", profile(), { pingAt: 1 });
    // still open when the scenario ended (the fleet's stop then closes it: closedBy "client")
    expect(subject(plain, "mqdiag-late-ping-1").map((c) => c.closedBy)).toEqual(["client"]);
    expect(plain.trace.some((e) => e.type === "kick" && e.clientId === "mqdiag-late-ping-1")).toBe(false);
    expect(plain.verdict).toBe("not-reproduced"); // late-ping expects a kick: none comes

    // 50 % fast: ticks 0.75, 1.25, 1.75, … s after CONNECT, 0.5 s apart, so every 2 s between two pings holds four
    // and the 4th kicks, whatever the phase (a ping delayed by a loaded machine changes only which tick): pinging
    // exactly on time, at 3.75 s (after the ping at 2 s, before the one at 4 s).
    const fast = await run("late-ping", profile({ drift: -0.5 }), { pingAt: 1 });
    const [client] = subject(fast, "mqdiag-late-ping-1");
    expect(client?.closedBy).toBe("broker");
    // The window from the pings the broker saw: drift alone keeps it one instant, and the kick falls on it.
    const { kickAt, window } = windowOf(fast, profile({ drift: -0.5 }), "mqdiag-late-ping-1");
    expect(window?.exact).toBe(true);
    expect(Math.abs((kickAt ?? 0) - (window?.earliestMs ?? Number.NaN))).toBeLessThanOrEqual(
      toleranceMs(fast.timeScale),
    );
    expect(fast.checks.find((c) => c.code === "kick-in-window")?.ok).toBe(true);
    // The control (MQTT.js) pings every keepalive too: kicked or not depending on its phase, allowed either way.
    const control = fast.checks.find((c) => c.code === "control-not-kicked");
    expect(control?.ok).toBe(true);
    if (fast.clients.find((c) => c.control)?.closedBy === "broker")
      expect(control?.args.simulatedKick).toBe(true);
    expect(fast.verdict).toBe("reproduced");
  }, 30_000);

  it("(b) with jitter 400 ms and drift +10 %: each kick inside the widened window", async () => {
    const p = profile({ jitterMs: 400, drift: 0.1, seed: 7 });
    const s = await run("late-ping", p, { clients: 4 });
    expect(s.verdict).toBe("reproduced");
    const tol = toleranceMs(s.timeScale);
    const late = s.clients.filter((c) => !c.control);
    expect(late).toHaveLength(4);
    for (const c of late) {
      const { kickAt, window } = windowOf(s, p, c.clientId);
      const plain = windowOf(s, profile(), c.clientId).window;
      expect(window?.exact).toBe(false);
      expect((window?.latestMs ?? 0) - (window?.earliestMs ?? 0)).toBeGreaterThan(0);
      expect(plain?.exact).toBe(true); // the true timer: one instant
      expect(kickAt).toBeGreaterThanOrEqual((window?.earliestMs ?? Number.NaN) - tol);
      expect(kickAt).toBeLessThanOrEqual((window?.latestMs ?? Number.NaN) + tol);
    }
    expect(s.checks.filter((c) => c.code === "kick-in-window").map((c) => c.ok)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(s.clients.find((c) => c.control)?.closedBy).not.toBe("broker");
  }, 30_000);

  it("keepalive-budget with the timer 50 % fast: the safe interval shrinks below keepalive and the on-time client is kicked", async () => {
    const s = await run("keepalive-budget", profile({ drift: -0.5 }), {});
    expect(budgetOutcome.of(s)?.largestSafeMs).toBe(1500); // N·Q′ = 3 × 0.5 s, under the 2 s keepalive
    expect(budgetOutcome.of(s)?.smallestKickedMs).toBe(2000); // (N+1)·Q′: an on-time gap of 2 s is always kicked
    expect(subject(s, "mqdiag-keepalive-budget-on-time-1")[0]?.closedBy).toBe("broker");
    expect(s.checks.filter((c) => !c.ok)).toEqual([]);
    expect(s.verdict).toBe("reproduced");
  }, 30_000);
});
