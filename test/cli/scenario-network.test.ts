import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

/** `mqdiag scenario` with the network scenarios and options, through the built binary (embedded broker, auto scale). */
interface RaceJson {
  keepalive: number;
  retryInterval: number;
  reconnect: { kind: string };
  faultAt: number;
  forecast: { first: string; oldConnectionEnds: string };
  predicted: { clientGivesUpAt: number; brokerKickFrom: number; first: string };
  seen: {
    clientGaveUpAt: number;
    brokerKickedAt: number | null;
    reconnectedAt: number[];
    takeoverAt: number | null;
    first: string;
    oldConnectionEndedBy: string;
  };
  lines: { id: string; at: number }[];
  timeline: { at: number; side: string; what: string }[];
}

async function race(args: string[]): Promise<{ code: number | null; verdict: string; race: RaceJson }> {
  const r = await runCli(["scenario", ...args, "--format", "json"], { timeoutMs: 30_000 });
  expect(r.stderr).toBe("");
  const s = JSON.parse(r.stdout).scenarios[0];
  return { code: r.code, verdict: s.verdict, race: s.network.race };
}

describe("mqdiag scenario network-stall / pingresp-lost", () => {
  it("network-stall at NanoMQ's shipped settings: exit 0, the client first, takeover; JSON in scenario seconds", async () => {
    const { code, verdict, race: r } = await race(["network-stall"]);
    expect([code, verdict]).toEqual([0, "reproduced"]);
    expect(r).toMatchObject({ keepalive: 10, retryInterval: 10, reconnect: { kind: "immediate" } });
    expect(r.seen).toMatchObject({ first: "client", oldConnectionEndedBy: "takeover", brokerKickedAt: null });
    expect(r.seen.clientGaveUpAt).toBeGreaterThan(24);
    expect(r.seen.clientGaveUpAt).toBeLessThan(28);
    expect(r.predicted.brokerKickFrom - r.seen.clientGaveUpAt).toBeGreaterThan(9);
    expect(r.lines.map((l) => l.id)).toEqual(["takeover", "recv-error", "parse-error"]);
    expect(r.timeline.filter((e) => e.side !== "client" || e.what !== "pingreq").map((e) => e.what)).toEqual(
      expect.arrayContaining(["connected", "fault", "client-gave-up", "reconnected", "takeover"]),
    );
  });

  it("network-stall --retry-interval 1: the broker first, its kick lines; the table says so", async () => {
    const { code, race: r } = await race(["network-stall", "--retry-interval", "1"]);
    expect(code).toBe(0);
    expect(r.seen).toMatchObject({ first: "broker", oldConnectionEndedBy: "keepalive", takeoverAt: null });
    expect(r.lines.map((l) => l.id)).toEqual(["keepalive-timeout", "recv-error", "parse-error"]);
    // the glance (no --details) says who was first in one line; --details adds the race and its timeline
    const glance = await runCli(["scenario", "network-stall", "--retry-interval", "1"], {
      timeoutMs: 30_000,
    });
    expect(glance.code).toBe(0);
    expect(glance.stdout).toMatch(/^network-stall +race: broker first/m);
    const t = await runCli(["scenario", "network-stall", "--retry-interval", "1", "--details"], {
      timeoutMs: 30_000,
    });
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/race: broker first/);
    expect(t.stdout).toMatch(/race timeline \(both sides\):/);
    expect(t.stdout).toMatch(/broker kicked the old connection \(keepalive\)/);
  });

  it("pingresp-lost --reconnect backoff --reconnect-delay 2s --reconnect-jitter 0: reconnect 2 s after giving up, takeover", async () => {
    const { code, race: r } = await race([
      "pingresp-lost",
      "--reconnect",
      "backoff",
      "--reconnect-delay",
      "2s",
      "--reconnect-jitter",
      "0",
    ]);
    expect(code).toBe(0);
    expect(r.reconnect).toMatchObject({ kind: "backoff", initialMs: 2000, jitter: 0 });
    expect(r.seen).toMatchObject({ first: "client", oldConnectionEndedBy: "takeover" });
    const wait = (r.seen.reconnectedAt[0] ?? 0) - r.seen.clientGaveUpAt;
    expect(wait).toBeGreaterThanOrEqual(2);
    expect(wait).toBeLessThan(3.5);
    expect(r.lines.map((l) => l.id)).not.toContain("keepalive-timeout");
  });

  it("--format junit: one testcase per race step, each name unique", async () => {
    const r = await runCli(["scenario", "pingresp-lost", "--format", "junit"], { timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    const names = [...r.stdout.matchAll(/<testcase name="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        "client-outcome clientId=mqdiag-pingresp-lost-1 race=first",
        "client-outcome clientId=mqdiag-pingresp-lost-1 race=client-gave-up",
        "client-outcome clientId=mqdiag-pingresp-lost-1 race=old-connection-ended-by",
        "signature-absent id=keepalive-timeout",
      ]),
    );
  });

  it.each([
    [["--reconnect", "sometimes"], '--reconnect: expected none, immediate, backoff, got "sometimes"'],
    [["--reconnect-max", "5s"], "--reconnect-max: needs --reconnect backoff"],
    [
      ["--reconnect", "backoff", "--reconnect-jitter", "2"],
      "--reconnect-jitter: expected a fraction from 0 to 1",
    ],
    [["--stall-for", "10s"], "--stall-for: needs --stall-at"],
    [["--latency", "1x"], "--latency: expected a duration"],
    [["--drop", "pingpong"], "--drop: expected pingreq, pingresp"],
    [["--bandwidth", "fast"], "--bandwidth: expected a rate"],
  ])("usage error %j: one line on stderr, exit 2", async (args, message) => {
    const r = await runCli(["scenario", "network-stall", ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});
