import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { freePort } from "../../helpers/mosquitto.js";

/**
 * --baseline / --save-baseline / --keepalive usage: a bad baseline file or an unwritable --save-baseline is ONE
 * line on stderr and exit 2, before any probing (the target here is a closed port: reaching it would exit 3).
 */
describe("mqdiag probe: baseline and --keepalive usage errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "mqdiag-probe-baseline-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  const cases: [string, () => string[], RegExp][] = [
    ["a missing baseline", () => ["--baseline", join(dir, "missing.json")], /--baseline: cannot read/],
    ["a baseline that is not JSON", () => ["--baseline", file("garbage.json", "not json")], /is not JSON/],
    [
      "a probe report given as a baseline",
      () => ["--baseline", file("report.json", JSON.stringify({ schema: "mqdiag.probe/v1", checks: [] }))],
      /is not a probe baseline: schema is "mqdiag.probe\/v1", expected "mqdiag.probe-baseline\/v1"/,
    ],
    ["--save-baseline to a directory", () => ["--save-baseline", dir], /--save-baseline: .* is a directory/],
    [
      "--save-baseline into a missing folder",
      () => ["--save-baseline", join(dir, "no", "such", "b.json")],
      /--save-baseline: cannot write/,
    ],
    ["--keepalive not a number", () => ["--keepalive", "soon"], /--keepalive: expected a whole number/],
    [
      "--keepalive without the keepalive check",
      () => ["--keepalive", "60", "--checks", "connect"],
      /--keepalive: answered from the keepalive check/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(`${name}: one line, exit 2`, async () => {
      const port = await freePort();
      const r = await runCli(["probe", `127.0.0.1:${port}`, ...args()]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
