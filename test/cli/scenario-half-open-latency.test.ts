import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

/** `mqdiag scenario half-open high-latency` through the built binary (embedded nanomq, auto scale): JSON and exit. */
describe("mqdiag scenario half-open / high-latency", () => {
  it("both reproduce at NanoMQ's shipped settings, exit 0; network.halfOpen and network.latencyBudget in seconds", async () => {
    const r = await runCli(["scenario", "half-open", "high-latency", "--format", "json"], {
      timeoutMs: 30_000,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const [halfOpen, latency] = JSON.parse(r.stdout).scenarios;
    expect([halfOpen.verdict, latency.verdict]).toEqual(["reproduced", "reproduced"]);
    const h = halfOpen.network.halfOpen;
    // KA 10, Q 10 s: the PINGREQ ~10 s after CONNECT resets n, the tick 2·Q after the next one kicks: ~25 s later
    expect(h.brokerClosedAt - h.lastInboundAt).toBeGreaterThan(24);
    expect(h.brokerClosedAt - h.lastInboundAt).toBeLessThan(26.5);
    expect(h.tcpKeepalive).toEqual({ idleS: 7200, intervalS: 75, probes: 9, deadAfter: 7875 });
    expect(latency.network.latencyBudget).toMatchObject({
      keepalive: 10,
      jitter: 0.5,
      brokerMaxDelay: 5,
      clientMaxDelay: 2.5,
      largestSafeLatency: 2,
      firstToGiveUp: "client-gives-up",
    });
    expect(
      latency.network.latencyBudget.live.map((c: { expected: string; seen: string }) => [c.expected, c.seen]),
    ).toEqual([
      ["survives", "survives"],
      ["client-gives-up", "client-gives-up"],
    ]);
  });

  it("--latency/--jitter replace the live clients with one at that link: 3 s ± 0.2 s, the client gives up first", async () => {
    const r = await runCli(
      ["scenario", "high-latency", "--latency", "3s", "--jitter", "200ms", "--format", "json"],
      { timeoutMs: 30_000 },
    );
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout).scenarios[0];
    expect(s.network.latencyBudget.live).toMatchObject([
      {
        clientId: "mqdiag-high-latency-user-1",
        latency: 3,
        jitter: 0.2,
        expected: "client-gives-up",
        seen: "client-gives-up",
      },
    ]);
    expect(s.signatures.map((g: { id: string }) => g.id)).toEqual(["recv-error", "parse-error"]);
  });
});
