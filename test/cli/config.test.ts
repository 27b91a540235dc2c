import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/conf/${name}`, import.meta.url));

interface ConfigJson {
  schema: string;
  format: string;
  retryInterval: { value: number; source: string };
  keepaliveMultiplier: { value: number; source: string };
  keepalives: {
    keepaliveS: number;
    kickAfterLastPacket: { minMs: number; maxMs: number } | null;
    kickAfterSilentConnectMs: number | null;
    largestSafeIntervalMs: number | null;
  }[];
  findings: { code: string; severity: string }[];
}

async function json(args: string[]): Promise<{ code: number | null; doc: ConfigJson }> {
  const result = await runCli(["config", ...args, "--format", "json"]);
  return { code: result.code, doc: JSON.parse(result.stdout) as ConfigJson };
}

describe("mqdiag config", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mqdiag-config-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("the shipped HOCON config: Q=10 s, M=1.25, KA 60 kicked 80–90 s after the last packet; exit 0", async () => {
    const { code, doc } = await json([fixture("nanomq-shipped.conf")]);
    expect(code).toBe(0);
    expect(doc.schema).toBe("mqdiag.config/v1");
    expect(doc.format).toBe("hocon");
    expect(doc.retryInterval).toMatchObject({ value: 10_000, source: "file" });
    expect(doc.keepaliveMultiplier).toMatchObject({ value: 1.25, source: "file" });
    expect(doc.keepalives.map((k) => k.keepaliveS)).toEqual([10, 30, 60, 120]);
    expect(doc.keepalives[2]).toMatchObject({
      kickAfterLastPacket: { minMs: 80_000, maxMs: 90_000 },
      kickAfterSilentConnectMs: 95_000,
      largestSafeIntervalMs: 80_000,
    });
    expect(doc.findings.every((f) => f.severity === "info")).toBe(true);
  });

  it("the old flat config with keepalive_backoff=1250: the trap, exit 1", async () => {
    const { code, doc } = await json([fixture("flat-old.conf"), "--keepalive", "2,60"]);
    expect(code).toBe(1);
    expect(doc.format).toBe("flat");
    expect(doc.keepaliveMultiplier.value).toBe(1250);
    expect(doc.findings.map((f) => [f.code, f.severity])).toEqual([["keepalive-backoff-trap", "error"]]);
    expect(doc.keepalives.map((k) => k.kickAfterSilentConnectMs)).toEqual([2_525_000, 75_025_000]);
  });

  it("defaults when the keys are absent: 10 s and 1.5", async () => {
    const { code, doc } = await json([fixture("hocon-defaults.conf"), "--keepalive", "0,60"]);
    expect(code).toBe(0);
    expect(doc.retryInterval).toMatchObject({ value: 10_000, source: "default" });
    expect(doc.keepaliveMultiplier).toMatchObject({ value: 1.5, source: "default" });
    expect(doc.findings.map((f) => f.code)).toEqual(["multiplier-default"]);
    expect(doc.keepalives[0]?.kickAfterLastPacket).toBeNull(); // keepalive 0: never kicked
    expect(doc.keepalives[1]?.kickAfterLastPacket).toEqual({ minMs: 100_000, maxMs: 110_000 });
  });

  it("a broken file is still read, with its problems as findings", async () => {
    const { code, doc } = await json([fixture("hocon-broken.conf")]);
    expect(code).toBe(1);
    expect(new Set(doc.findings.map((f) => f.code))).toEqual(
      new Set(["syntax", "value-invalid", "key-ignored", "kick-before-spec-deadline"]),
    );
  });

  it("the table names the finding codes; --output writes the report to a file", async () => {
    const table = await runCli(["config", fixture("flat-old.conf")]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain("keepalive-backoff-trap");
    expect(table.stdout).not.toContain("\x1b[");
    const out = join(dir, "report.json");
    const written = await runCli(["config", fixture("flat-fixed.conf"), "--format", "json", "--output", out]);
    expect(written).toMatchObject({ code: 0, stdout: "" });
    const doc = JSON.parse(await readFile(out, "utf8")) as ConfigJson;
    expect(doc.retryInterval.value).toBe(5000);
  });

  it.each([
    ["a missing file", [join("/nonexistent", "nanomq.conf")]],
    ["a directory", ["."]],
    ["a file without settings", [fixture("not-a-config.txt")]],
    ["a bad --keepalive", [fixture("flat-fixed.conf"), "--keepalive", "10,abc"]],
    ["a keepalive over 65535", [fixture("flat-fixed.conf"), "--keepalive", "70000"]],
    ["an unsupported format", [fixture("flat-fixed.conf"), "--format", "junit"]],
    ["no file", []],
  ])("%s: one line on stderr, exit 2", async (_name, args) => {
    const result = await runCli(["config", ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it("a binary file: exit 2", async () => {
    const result = await runCli(["config", process.execPath]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
