import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { type HostileBroker, startHostileBroker } from "../../helpers/hostile-brokers.js";

interface KeepaliveCheck {
  status: string;
  code: string;
  measured: {
    samples: { keepalive: number; kickAfter: number | null }[];
    earliest: { keepalive: number; kickAfter: number; limit: number } | null;
    belowSpec: number;
  };
}

/**
 * The early-kick rule end to end, against a fake broker that closes each keepalive-2 session at a chosen time
 * after its CONNECT (1.5 × keepalive = 3 s): before 3 s is never a pass; within a second of it (what a broker
 * with whole-second timestamps does, like mosquitto 2.0) warns, so stock mosquitto does not fail CI at the
 * default --fail-on error; earlier fails. Kick times leave ≥ 0.5 s for scheduling delay on a loaded machine.
 * Each probe has a broker of its own, so the cases (and both probes of one) run side by side: each waits
 * mostly on the fake broker's timers.
 */
describe.concurrent("mqdiag probe: a kick before 1.5 × keepalive is never a pass", () => {
  const brokers: HostileBroker[] = [];
  afterAll(async () => {
    await Promise.all(brokers.map((b) => b.close()));
  });

  async function probeKickingAt(kickAfterS: number, extra: string[] = []) {
    const broker = await startHostileBroker("kick", { kickAfterS: (k) => (k === 2 ? kickAfterS : 600) });
    brokers.push(broker);
    const r = await runCli(
      [
        "probe",
        `127.0.0.1:${broker.port}`,
        "--checks",
        "connect,keepalive",
        "--keepalive-samples",
        "2",
        "--keepalive-sessions",
        "1",
        "--max-wait",
        "10s",
        "--format",
        "json",
        ...extra,
      ],
      { timeoutMs: 30_000 },
    );
    const checks = JSON.parse(r.stdout).checks as ({ id: string } & KeepaliveCheck)[];
    const ka = checks.find((c) => c.id === "keepalive") as KeepaliveCheck;
    return { code: r.code, ka, kickAfter: ka.measured.samples[0]?.kickAfter as number };
  }

  it("on time (3.3 s ≥ 3 s): pass, exit 0", async () => {
    const r = await probeKickingAt(3.3);
    expect([r.ka.status, r.ka.code]).toEqual(["pass", "within-window"]);
    expect(r.ka.measured.belowSpec).toBe(0);
    expect(r.code).toBe(0);
  });

  it("early by less than a second (2.4 s < 3 s): warn early-whole-second, exit 0; exit 1 with --fail-on warn", async () => {
    const [r, strict] = await Promise.all([probeKickingAt(2.4), probeKickingAt(2.4, ["--fail-on", "warn"])]);
    expect(r.kickAfter).toBeGreaterThanOrEqual(2.4);
    expect(r.kickAfter).toBeLessThan(3);
    expect([r.ka.status, r.ka.code]).toEqual(["warn", "early-whole-second"]);
    expect(r.ka.measured.earliest).toMatchObject({ keepalive: 2, limit: 3, kickAfter: r.kickAfter });
    expect(r.code).toBe(0);
    expect(strict.ka.code).toBe("early-whole-second");
    expect(strict.code).toBe(1);
  });

  it("early by more than a second (1.0 s < 3 s − 1 s): fail early-kick, exit 1", async () => {
    const r = await probeKickingAt(1.0);
    expect(r.kickAfter).toBeLessThan(2);
    expect([r.ka.status, r.ka.code]).toEqual(["fail", "early-kick"]);
    expect(r.ka.measured.earliest).toMatchObject({ keepalive: 2, limit: 3 });
    expect(r.code).toBe(1);
  });

  it("late by more than 2 s (5.8 s > 3 s + 2 s): warn late-kick, exit 0", async () => {
    const r = await probeKickingAt(5.8);
    expect([r.ka.status, r.ka.code]).toEqual(["warn", "late-kick"]);
    expect(r.code).toBe(0);
  });
});
