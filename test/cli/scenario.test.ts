import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SCENARIO_NAMES } from "../../src/scenarios/catalogue.js";
import { runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/mosquitto.js";

/** The built binary (npm test builds first). */
describe("mqdiag scenario", () => {
  const files: string[] = [];
  afterEach(() => {
    for (const f of files.splice(0)) rmSync(f, { force: true });
  });

  it("all: exits 0 in well under a minute, JSON mqdiag.scenario/v1 with the field signatures", async () => {
    const started = Date.now();
    const r = await runCli(["scenario", "all", "--format", "json"], { timeoutMs: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(45_000);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe("mqdiag.scenario/v1");
    expect(doc.target).toEqual({
      kind: "embedded",
      profile: "nanomq",
      timeScale: "auto",
      retryInterval: 10,
      keepaliveMultiplier: 1.25,
    });
    const by = (name: string) => doc.scenarios.find((s: { name: string }) => s.name === name);
    expect(doc.scenarios.map((s: { name: string }) => s.name)).toEqual([...SCENARIO_NAMES]);
    expect(by("late-ping").expected).toEqual(["keepalive-timeout", "recv-error", "parse-error"]);
    expect(by("malformed-packet").signatures.map((g: { detail: { rv?: number } }) => g.detail.rv)).toContain(
      17,
    );
    const late = by("late-ping");
    expect(late.verdict).toBe("reproduced");
    const client = late.clients.find((c: { control: boolean }) => !c.control);
    expect(Object.keys(client)).toEqual(
      expect.arrayContaining([
        "clientId",
        "behaviour",
        "control",
        "keepalive",
        "connectedAt",
        "lastSentAt",
        "closedAt",
        "closedBy",
        "closeKind",
        "reasonCode",
      ]),
    );
    expect(client).toMatchObject({
      clientId: "mqdiag-late-ping-1",
      behaviour: "late-ping",
      keepalive: 10,
      closedBy: "broker",
    });
    const sig = late.signatures.find((g: { id: string }) => g.id === "recv-error");
    expect(sig).toMatchObject({ clientId: "mqdiag-late-ping-1", detail: { reason: "Object closed" } });
    expect(typeof sig.at).toBe("number");
    expect(sig.line).toContain("nni aio recv error!! Object closed");
  }, 70_000);

  it("late-ping --profile spec: table report, exit 0", async () => {
    const r = await runCli(["scenario", "late-ping", "--profile", "spec", "--no-color"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("late-ping");
    expect(r.stdout).toContain("reproduced");
  });

  it("junit: one testsuite per scenario, written to --output", async () => {
    const out = join(tmpdir(), `mqdiag-scenario-${process.pid}.xml`);
    files.push(out);
    const r = await runCli(["scenario", "tcp-rst", "session-takeover", "--format", "junit", "--output", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const xml = readFileSync(out, "utf8");
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toContain('failures="0"');
  });

  it("a scenario that does not reproduce exits 1 (a late ping inside the window)", async () => {
    const r = await runCli(["scenario", "late-ping", "--ping-at", "1.1", "--format", "json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).scenarios[0].verdict).toBe("not-reproduced");
  });

  it.each([
    [["scenario", "nope"]],
    [["scenario", "--keepalive", "0"]],
    [["scenario", "--keepalive", "-1"]],
    [["scenario", "--clients", "0"]],
    [["scenario", "--malformed", "nope"]],
    [["scenario", "tcp-rst", "--broker", "mqtt://127.0.0.1:1", "--broker-log", "/nonexistent/mqdiag.log"]],
    [["scenario", "--broker", "ws://127.0.0.1:1883"]],
    [["scenario", "--malformed", "bogus"]],
    [["scenario", "--time-scale", "fast"]],
    [["scenario", "--broker", "mqtt://127.0.0.1:1", "--time-scale", "10"]],
    [["scenario", "--broker-log", "/tmp/x.log"]],
    [["scenario", "--format", "xml"]],
  ])("usage error %j: one line on stderr, exit 2", async (args) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
  });

  it("an external broker that is not there: exit 3", async () => {
    const port = await freePort();
    const r = await runCli(["scenario", "tcp-rst", "--broker", `mqtt://127.0.0.1:${port}`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^mqdiag: 127\.0\.0\.1:\d+: /);
  });
});
