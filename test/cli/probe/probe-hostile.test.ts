import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { type HostileBroker, type HostileKind, startHostileBroker } from "../../helpers/hostile-brokers.js";
import { freePort } from "../../helpers/mosquitto.js";

interface JsonCheck {
  id: string;
  status: string;
  code: string;
  measured: Record<string, unknown>;
}

/** Every check, with one short keepalive session. */
const EVERY_CHECK_SHORT = ["--keepalive-samples", "1", "--keepalive-sessions", "1", "--max-wait", "4s"];

/**
 * Each probe has a fake broker of its own: the longest one (every check against no-pingresp, ~10 s) starts before
 * the others and runs beside them; those with an elapsed-time bound run one after another, as their bounds were
 * set for, the rest (refused, DNS, usage errors) side by side.
 */
describe("mqdiag probe against hostile fake brokers: bounded, a clear finding, the right exit status", () => {
  const brokers: HostileBroker[] = [];
  let everyCheckNoPingresp: ReturnType<typeof probe>;
  beforeAll(() => {
    everyCheckNoPingresp = probe("no-pingresp", EVERY_CHECK_SHORT);
    everyCheckNoPingresp.catch(() => {}); // kept until its test awaits it: no unhandled rejection meanwhile
  });
  afterAll(async () => {
    await everyCheckNoPingresp?.catch(() => {});
    await Promise.all(brokers.map((b) => b.close()));
  });

  async function probe(kind: HostileKind, extra: string[] = [], trickleMs?: number) {
    const broker = await startHostileBroker(kind, { trickleMs });
    brokers.push(broker);
    const started = Date.now();
    const result = await runCli(
      ["probe", `127.0.0.1:${broker.port}`, "--format", "json", "--timeout", "1s", ...extra],
      {
        timeoutMs: 40_000,
      },
    );
    const elapsedMs = Date.now() - started;
    const checks = result.stdout ? ((JSON.parse(result.stdout) as { checks: JsonCheck[] }).checks ?? []) : [];
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    return { ...result, elapsedMs, byId };
  }

  const table: [HostileKind, string[], number, Record<string, [string, string]>][] = [
    [
      "no-connack",
      ["--checks", "connect,ping"],
      3,
      { connect: ["error", "no-connack"], ping: ["skip", "no-connection"] },
    ],
    ["garbage", ["--checks", "connect,ping"], 3, { connect: ["error", "not-mqtt"] }],
    [
      "close-after-connack",
      ["--checks", "connect,ping"],
      1,
      { connect: ["pass", "connected"], ping: ["fail", "closed"] },
    ],
    [
      "no-pingresp",
      ["--checks", "connect,ping"],
      1,
      { connect: ["pass", "connected"], ping: ["fail", "no-pingresp"] },
    ],
    ["trickle", ["--checks", "connect,ping"], 3, { connect: ["error", "no-connack"] }],
  ];
  for (const [kind, args, exit, expected] of table) {
    it(`${kind}: exit ${exit} within its timeouts`, async () => {
      const r = await probe(kind, args);
      expect(r.code).toBe(exit);
      for (const [id, [status, code]] of Object.entries(expected)) {
        expect(r.byId[id]).toMatchObject({ status, code });
      }
      // two protocol versions × 1 s CONNACK timeout plus process start-up
      expect(r.elapsedMs).toBeLessThan(8000);
      expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    });
  }

  it("trickle fast enough to finish within --timeout still connects", async () => {
    const r = await probe(
      "trickle",
      ["--checks", "connect", "--mqtt-version", "3.1.1", "--timeout", "3s"],
      100,
    );
    expect(r.code).toBe(0);
    expect(r.byId.connect).toMatchObject({ status: "pass" });
  });

  it("close-after-connack with every check: nothing but connect passes, the controls say why", async () => {
    const r = await probe("close-after-connack", EVERY_CHECK_SHORT);
    expect(r.code).toBe(1);
    // closing every session proves nothing about malformed packets or takeovers: inconclusive, not a pass
    expect(r.byId.malformed).toMatchObject({ status: "error", code: "closed-before-send" });
    expect(r.byId.takeover).toMatchObject({ status: "error", code: "closed-before-takeover" });
    expect(r.byId.keepalive).toMatchObject({ status: "fail", code: "early-kick" });
    expect(r.byId.ping).toMatchObject({ status: "fail", code: "closed" });
    const passed = Object.values(r.byId).filter((c) => c.status === "pass");
    expect(passed.map((c) => c.id)).toEqual(["connect"]);
    expect(r.elapsedMs).toBeLessThan(15_000);
  });

  it.concurrent("connection refused: one line on stderr, exit 3", async () => {
    const port = await freePort();
    const r = await runCli(["probe", `127.0.0.1:${port}`]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/refused/);
  });

  it.concurrent("DNS failure: one line, exit 3", async () => {
    const r = await runCli(["probe", "no-such-host.invalid:1883", "--timeout", "5s"]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  const usage: string[][] = [
    ["probe", "127.0.0.1:99999"],
    ["probe", "ftp://127.0.0.1"],
    ["probe", "[zz::1]:1883"],
    ["probe", "127.0.0.1", "--checks", "connect,bogus"],
    ["probe", "127.0.0.1", "--timeout", "soon"],
    ["probe", "127.0.0.1", "--mqtt-version", "4.0"],
    ["probe", "127.0.0.1", "--keepalive-samples", "1,x"],
    ["probe", "127.0.0.1", "--fail-on", "info"],
    ["probe", "127.0.0.1", "--quick", "--deep"],
    ["probe", "127.0.0.1", "--ca", "/nonexistent/ca.pem"],
    ["probe", "mqtt://user:secret@127.0.0.1"],
  ];
  for (const args of usage) {
    it.concurrent(`usage error: ${args.slice(1).join(" ")} → one line, exit 2`, async () => {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
      expect(r.stderr).not.toContain("secret");
    });
  }

  it("no-pingresp with every check: each check ends (no hang) and the probe exits 1", async () => {
    const r = await everyCheckNoPingresp;
    expect(r.code).toBe(1);
    expect(r.byId.ping).toMatchObject({ status: "fail", code: "no-pingresp" });
    expect(r.byId.keepalive).toMatchObject({ status: "fail", code: "not-kicked" });
    expect(r.byId.malformed).toMatchObject({ status: "fail", code: "left-open" });
    expect(r.byId.takeover).toMatchObject({ status: "fail", code: "first-left-open" });
    // no PUBACK: the delete is still attempted, and what could not be confirmed gone is named
    expect(r.byId.retain).toMatchObject({ status: "error", code: "publish-failed" });
    expect(r.byId.retain?.measured.leftBehind).toEqual([r.byId.retain?.measured.topic]);
    expect(r.elapsedMs).toBeLessThan(30_000);
  });
});
