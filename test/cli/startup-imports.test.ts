import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_KEEPALIVES } from "../../src/cli/commands/config.js";
import { DEFAULT_KEEPALIVES_S } from "../../src/config/config-report.js";
import { BIN } from "../helpers/cli.js";

/**
 * Issue 11, item 1: a command's modules load only when it runs. bin/mqdiag.js runs the CLI bundle that `npm run
 * build` makes (scripts/bundle-cli.mjs: CommonJS chunks in dist/src/cli-bundle). Each case runs the built CLI
 * under test/helpers/trace-imports.mjs, which records every file the process resolves; a chunk of the bundle
 * stands for the sources its source map lists. The broker, the fleet, the link, the log readers, the probe's
 * sessions, the scenarios and MQTT.js (mqtt, mqtt-packet, ws) must not be among them for --version, --help,
 * explain or config.
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUNDLE = join(ROOT, "dist/src/cli-bundle");
const HOOK = fileURLToPath(new URL("../helpers/trace-imports.mjs", import.meta.url));
const CONF = fileURLToPath(new URL("../fixtures/conf/nanomq-shipped.conf", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "mqdiag-trace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEAVY = [
  /^node_modules\/(mqtt|mqtt-packet|ws)\//,
  /^(dist\/)?src\/(broker|fleet|link|logs|mqtt-wire)\//,
  // the probe's check ids and types are a few constants --help lists; the probe itself is heavy
  /^(dist\/)?src\/probe\/(?!(types|check-ids)\.[jt]s$)/,
  /^(dist\/)?src\/scenarios\/(?!(types|catalogue)\.[jt]s$)/,
];

interface Trace {
  code: number | null;
  /** The files the process resolved, relative to the repository (node:* left out). */
  files: string[];
  /** The same, with each chunk of the bundle replaced by the sources it was built from. */
  modules: string[];
}

/** The sources a chunk of the bundle holds, from its source map (rolldown's own helpers have none). */
function sourcesOf(chunk: string): string[] {
  const map = `${chunk}.map`;
  if (!existsSync(map)) return [];
  const { sources } = JSON.parse(readFileSync(map, "utf8")) as { sources: string[] };
  return sources.map((s) => relative(ROOT, resolve(BUNDLE, s)));
}

let n = 0;
function trace(args: string[]): Promise<Trace> {
  const file = join(dir, `trace-${n++}.txt`);
  return new Promise((done, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", MQDIAG_TRACE_IMPORTS: file };
    const child = execFile(process.execPath, ["--import", HOOK, BIN, ...args], { env }, (err) => {
      if (err && typeof err.code !== "number") return reject(err);
      let text = "";
      try {
        text = readFileSync(file, "utf8");
      } catch {
        // nothing resolved
      }
      const paths = [
        ...new Set(
          text
            .split("\n")
            .filter((u) => u.startsWith("file:"))
            .map((u) => fileURLToPath(u)),
        ),
      ];
      const modules = paths.flatMap((p) =>
        p.startsWith(`${BUNDLE}/`) && p.endsWith(".cjs") ? sourcesOf(p) : [relative(ROOT, p)],
      );
      done({ code: child.exitCode, files: paths.map((p) => relative(ROOT, p)), modules });
    });
  });
}

const heavy = (modules: string[]) => modules.filter((m) => HEAVY.some((re) => re.test(m)));
const chunks = (files: string[]) => files.filter((f) => f.startsWith("dist/src/cli-bundle/"));

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
  ])(
    "mqdiag %j loads no broker, fleet, link, log reader, probe session, scenario or MQTT.js module",
    async (args) => {
      const r = await trace(args);
      expect(r.code).toBe(0);
      expect(r.modules).toContain("src/cli/main.ts");
      expect(heavy(r.modules)).toEqual([]);
    },
  );

  it("--version loads neither commander nor any command", async () => {
    const r = await trace(["--version"]);
    expect(r.modules.filter((m) => m.includes("node_modules/") || m.startsWith("src/cli/commands/"))).toEqual(
      [],
    );
  });

  it("explain loads explain's run module and not config's, and commander, from a handful of chunks", async () => {
    const r = await trace(["explain", "139"]);
    expect(r.modules).toContain("src/cli/commands/explain-run.ts");
    expect(r.modules).not.toContain("src/cli/commands/config-run.ts");
    expect(r.modules).toContain("node_modules/commander/lib/command.js");
    // the entry, rolldown's helpers with the errors, the program, the common chunk, explain's run chunk: a few
    // files rather than the ~50 modules Node's loader read one by one before the bundle
    expect(chunks(r.files).length).toBeLessThanOrEqual(6);
    const config = await trace(["config", CONF]);
    expect(config.modules).toContain("src/cli/commands/config-run.ts");
    expect(chunks(config.files).length).toBeLessThanOrEqual(6);
  });

  it("the trace sees MQTT's packet library when a command does load it (probe of a closed port)", async () => {
    const r = await trace(["probe", "127.0.0.1:1", "--checks", "connect", "--timeout", "1s"]);
    expect(r.code).toBe(3);
    expect(r.modules.some((m) => /^node_modules\/mqtt-packet\//.test(m))).toBe(true);
    expect(r.modules).toContain("src/mqtt-wire/raw-session.ts");
  });

  it("on Node 20, the first run writes the V8 code cache of the chunks it loads and the next run uses it", async () => {
    // the same steps as bin/mqdiag.js on Node 20, in a child that then tells how each chunk was compiled
    const cache = mkdtempSync(join(tmpdir(), "mqdiag-compile-cache-"));
    const script = `
      const { loadBundle, codeCacheUse } = require(${JSON.stringify(join(ROOT, "dist/src/cli/chunk-loader.cjs"))});
      loadBundle(${JSON.stringify(join(BUNDLE, "mqdiag.cjs"))})
        .main(["node", "mqdiag", "explain", "139"])
        .then(() => process.stderr.write(JSON.stringify(codeCacheUse)));`;
    const run = () =>
      new Promise<{ accepted: number; rejected: number; missing: number }>((done, reject) =>
        execFile(
          process.execPath,
          ["-e", script],
          { env: { ...process.env, NO_COLOR: "1", NODE_COMPILE_CACHE: cache } },
          (err, _out, e) => (err ? reject(err) : done(JSON.parse(e))),
        ),
      );
    try {
      const first = await run();
      expect(first).toEqual({ accepted: 0, rejected: 0, missing: expect.any(Number) });
      expect(first.missing).toBeGreaterThanOrEqual(4);
      const second = await run();
      expect(second).toEqual({ accepted: first.missing, rejected: 0, missing: 0 });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it("a checkout without a build says to run npm run build, in one line, exit 2", async () => {
    // bin/mqdiag.js alone in a folder with no dist/ beside it: what a fresh clone is before `npm ci`
    const dir = mkdtempSync(join(tmpdir(), "mqdiag-unbuilt-"));
    try {
      mkdirSync(join(dir, "bin"));
      copyFileSync(join(ROOT, "bin/mqdiag.js"), join(dir, "bin/mqdiag.js"));
      copyFileSync(join(ROOT, "bin/package.json"), join(dir, "bin/package.json"));
      const r = await new Promise<{ code: number | null; stderr: string }>((done) =>
        execFile(process.execPath, [join(dir, "bin/mqdiag.js"), "--help"], (err, _out, stderr) =>
          done({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stderr }),
        ),
      );
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/run `npm run build`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("with --verbose (source maps on, as bin/mqdiag.js does then), a stack frame in the bundle points into src/", async () => {
    // main(null) fails on its first line: the frame is in the entry chunk, mapped back to src/cli/main.ts
    const script = `
      process.setSourceMapsEnabled(true);
      require(${JSON.stringify(join(BUNDLE, "mqdiag.cjs"))}).main(null).catch((e) => process.stderr.write(e.stack));`;
    const stack = await new Promise<string>((done, reject) =>
      execFile(process.execPath, ["-e", script], (err, _out, e) => (err ? reject(err) : done(e))),
    );
    expect(stack).toMatch(/\(.*\/src\/cli\/main\.ts:\d+:\d+\)/);
  });

  it("config's default keepalives in its help are the config report's", () => {
    expect(DEFAULT_KEEPALIVES).toBe(DEFAULT_KEEPALIVES_S.join(","));
  });
});
