import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_KEEPALIVES } from "../../src/cli/commands/config.js";
import { DEFAULT_KEEPALIVES_S } from "../../src/config/config-report.js";
import { BIN } from "../helpers/cli.js";

/**
 * Issue 11, item 1: a command's modules load only when it runs. Each case runs the built CLI under a resolve hook
 * (test/helpers/trace-imports.mjs) that records every module URL the process imports, and asserts that the broker,
 * the fleet, the link, the probe's sessions, the scenarios and MQTT.js (mqtt, mqtt-packet, ws) are not among them.
 */
const HOOK = fileURLToPath(new URL("../helpers/trace-imports.mjs", import.meta.url));
const CONF = fileURLToPath(new URL("../fixtures/conf/nanomq-shipped.conf", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "mqdiag-trace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEAVY = [
  /\/node_modules\/(mqtt|mqtt-packet|ws)\//,
  /\/dist\/src\/(broker|fleet|link|logs)\//,
  /\/dist\/src\/probe\/(?!types\.js$)/,
  /\/dist\/src\/scenarios\/(?!types\.js$)/,
];

let n = 0;
function trace(args: string[]): Promise<{ code: number | null; urls: string[] }> {
  const file = join(dir, `trace-${n++}.txt`);
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", MQDIAG_TRACE_IMPORTS: file };
    const child = execFile(process.execPath, ["--import", HOOK, BIN, ...args], { env }, (err) => {
      if (err && typeof err.code !== "number") return reject(err);
      let text = "";
      try {
        text = readFileSync(file, "utf8");
      } catch {
        // nothing resolved
      }
      resolve({ code: child.exitCode, urls: text.split("\n").filter((u) => u.startsWith("file:")) });
    });
  });
}

const heavy = (urls: string[]) => urls.filter((u) => HEAVY.some((re) => re.test(u)));

describe("start-up: what each command loads", () => {
  it.each([
    [["--version"]],
    [["--help"]],
    [["explain", "--help"]],
    [["scenario", "--help"]],
    [["probe", "--help"]],
    [["explain", "139"]],
    [["explain"]],
    [["config", CONF]],
  ])("mqdiag %j imports no broker, fleet, link, probe session, scenario or MQTT.js module", async (args) => {
    const r = await trace(args);
    expect(r.code).toBe(0);
    expect(r.urls.some((u) => u.endsWith("/dist/src/cli/main.js"))).toBe(true);
    expect(heavy(r.urls)).toEqual([]);
  });

  it("--version loads neither commander nor any command", async () => {
    const r = await trace(["--version"]);
    expect(r.urls.filter((u) => u.includes("/node_modules/") || u.includes("/cli/commands/"))).toEqual([]);
  });

  it("the hook sees a lazily imported action (explain runs explain-run.js, not config-run.js) and CommonJS requires", async () => {
    const explain = await trace(["explain", "139"]);
    expect(explain.urls.some((u) => u.endsWith("/cli/commands/explain-run.js"))).toBe(true);
    expect(explain.urls.some((u) => u.endsWith("/cli/commands/config-run.js"))).toBe(false);
    // commander is require()d: the hook sees CommonJS too
    expect(explain.urls.some((u) => u.includes("/node_modules/commander/"))).toBe(true);
  });

  it("the hook sees MQTT's packet library when a command does load it (probe of a closed port)", async () => {
    const r = await trace(["probe", "127.0.0.1:1", "--checks", "connect", "--timeout", "1s"]);
    expect(r.code).toBe(3);
    expect(r.urls.some((u) => /\/node_modules\/mqtt-packet\//.test(u))).toBe(true);
  });

  it("config's default keepalives in its help are the config report's", () => {
    expect(DEFAULT_KEEPALIVES).toBe(DEFAULT_KEEPALIVES_S.join(","));
  });
});
