import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "mqdiag-output-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const conf = "test/fixtures/conf/nanomq-shipped.conf";
const log = "test/fixtures/logs/mosquitto-2.0.log";

describe("--output that cannot be written", () => {
  // Refused before any work: a scenario run or a probe would otherwise finish first and then fail.
  const commands: [string, string[]][] = [
    ["scenario", ["scenario", "late-ping"]],
    ["probe", ["probe", "127.0.0.1:1"]],
    ["logs", ["logs", log]],
    ["explain", ["explain", "139"]],
    ["config", ["config", conf]],
  ];
  for (const [name, args] of commands) {
    it(`${name}: a missing folder or a directory is one line and exit 2, at once`, async () => {
      for (const output of [join(dir, "missing", "report.txt"), dir]) {
        const started = performance.now();
        const r = await runCli([...args, "--output", output]);
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toMatch(/^mqdiag: --output: /);
        expect(performance.now() - started).toBeLessThan(5000);
      }
    });
  }

  it("writes the report to a file that can be written, and nothing to stdout", async () => {
    const output = join(dir, "explain.json");
    const r = await runCli(["explain", "139", "--format", "json", "--output", output]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const { readFileSync } = await import("node:fs");
    expect(JSON.parse(readFileSync(output, "utf8")).schema).toBe("mqdiag.explain/v1");
  });
});
