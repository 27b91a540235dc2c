/**
 * `npm run build`, after tsc: bundles the CLI (src/cli/main.ts and every module it imports, commander, chalk and
 * cli-table3 included) into dist/src/cli-bundle with rolldown, as CommonJS chunks split at each dynamic import:
 * the entry answers --version; the program chunk (commander and each command's options) loads for any command; a
 * command's run chunk loads when it runs, so the broker, the fleet and MQTT.js (kept external: mqtt, mqtt-packet,
 * ws stay in node_modules) load only for the commands that use them. Node's ESM loader costs ~0.5 ms a module and
 * a command loaded 45–77 of them; now it loads 3–8 chunks.
 *
 * Then it runs the bundled CLI a few times (--help, explain, config, logs): a broken bundle fails the build. No V8
 * code cache is written here or shipped (src/cli/chunk-loader.cts writes one on first use, on Node 20).
 * bin/mqdiag.js loads dist/src/cli-bundle/mqdiag.cjs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = fileURLToPath(new URL("../dist/src/cli-bundle", import.meta.url));
// built beside it first, then moved in file by file: a CLI that runs meanwhile (the tests, the benches) never finds
// the bundle half written
const newDir = `${outDir}.${process.pid}.tmp`;

/**
 * src/report/table.ts require()s cli-table3 through createRequire(import.meta.url), which a bundler does not
 * follow: make it a plain require() so cli-table3 is bundled too. The replacement keeps the text's length and
 * columns (spaces in front), so the source map stays right (`map: null`: the code did not move).
 */
const bundleCreatedRequires = {
  name: "bundle-created-requires",
  transform: {
    filter: { code: "createRequire(import.meta.url)(" },
    handler(code) {
      const replaced = code.replace(
        /createRequire\(import\.meta\.url\)\(("[^"]+")\)/g,
        (call, specifier) =>
          `${" ".repeat(call.length - `require(${specifier})`.length)}require(${specifier})`,
      );
      return { code: replaced, map: null };
    },
  },
};

/** cli-table3's string-width, with a shortcut for plain ASCII text (scripts/string-width-ascii.cjs). */
const STRING_WIDTH_ASCII = fileURLToPath(new URL("./string-width-ascii.cjs", import.meta.url));
const stringWidthAscii = {
  name: "string-width-ascii",
  resolveId: {
    filter: { id: /^string-width$/ },
    handler(_source, importer) {
      return importer === STRING_WIDTH_ASCII ? null : STRING_WIDTH_ASCII;
    },
  },
};

/**
 * The modules `--help`, `explain` and `config` must never load (test/cli/startup-imports.test.ts checks the same):
 * the broker, the fleet, the link, the log readers, the probe's sessions, the scenarios, MQTT.js.
 */
const HEAVY =
  /[\\/]src[\\/](broker|fleet|link|logs)[\\/]|[\\/]src[\\/]probe[\\/](?!types\.ts$)|[\\/]src[\\/]scenarios[\\/](?!(types|network-names|session-names)\.ts$)|^(mqtt|mqtt-packet|ws)$|[\\/]node_modules[\\/](mqtt|mqtt-packet|ws)[\\/]/;
const COMMON =
  /[\\/]src[\\/](report|signatures|keepalive|config|core|cli)[\\/]|[\\/]node_modules[\\/](chalk|cli-table3|string-width|strip-ansi|ansi-regex|emoji-regex|is-fullwidth-code-point|@colors)[\\/]/;
const light = new Map();
/** Whether a module and everything it imports, statically, is not HEAVY. */
function lightClosure(id, ctx) {
  if (light.has(id)) return light.get(id);
  light.set(id, true); // an import cycle back here decides nothing
  const info = ctx.getModuleInfo(id);
  const ok = !HEAVY.test(id) && (info?.importedIds ?? []).every((dep) => lightClosure(dep, ctx));
  light.set(id, ok);
  return ok;
}

/** Which chunk a module goes to (the rest: each command's run chunk, or rolldown's own shared chunks). */
const at = (...parts) => new RegExp(parts.join("[\\\\/]"));
const CHUNKS = [
  // the typed errors: every chunk imports them, the entry too (rolldown keeps its own helpers in a chunk apart)
  { name: "core", test: at("src", "core", "errors\\.ts$"), priority: 4 },
  // commander and the commands' registrations (with the options modules they import): any command, or --help
  {
    name: "program",
    test: (id) =>
      at("node_modules", "commander", "").test(id) ||
      at(
        "src",
        "cli",
        "(program|commands[\\\\/](index|broker|config|explain|logs|probe|scenario))\\.ts$",
      ).test(id),
    priority: 3,
  },
  // what two or more run chunks share among the reports, signatures, keepalive models, config readers, chalk and
  // cli-table3, when nothing it imports is heavy: one chunk, not a dozen small ones; explain and config load it
  {
    name: (id, ctx) => (COMMON.test(id) && lightClosure(id, ctx) ? "common" : null),
    debugName: "common",
    minShareCount: 2,
    priority: 1,
  },
];

try {
  await build({
    cwd: root,
    input: { mqdiag: "src/cli/main.ts" },
    platform: "node",
    external: [...builtinModules, /^node:/, "mqtt", "mqtt-packet", "ws"],
    plugins: [bundleCreatedRequires, stringWidthAscii],
    logLevel: "warn",
    output: {
      dir: newDir,
      format: "cjs",
      // import() of a chunk or of node:* becomes require(): CommonJS all through, no ESM loader at start-up
      dynamicImportInCjs: false,
      // bin/mqdiag.js loads mqdiag.cjs; every other chunk's name carries its content hash (the code cache needs it,
      // and a CLI started before a rebuild keeps loading its own chunks)
      entryFileNames: "[name].cjs",
      chunkFileNames: "[name].[hash].cjs",
      codeSplitting: { groups: CHUNKS },
      // ESM bodies run when first needed, in source order: the modules a chunk holds for other commands do not run
      strictExecutionOrder: true,
      // less source for V8 to read and hash and, for what the code cache lacks, to parse; names kept (commander's
      // errors take theirs from their class); ASCII only, so V8 holds each chunk's source as one-byte text
      minify: { compress: true, mangle: { keepNames: true }, codegen: { asciiOnly: true } },
      sourcemap: true,
      cleanDir: true,
    },
  });
} catch (err) {
  rmSync(newDir, { recursive: true, force: true });
  throw err;
}

mkdirSync(outDir, { recursive: true });
const fresh = readdirSync(newDir);
// hashed chunks first, the entry that names them last
for (const file of [...fresh.filter((f) => f !== "mqdiag.cjs"), "mqdiag.cjs"]) {
  renameSync(`${newDir}/${file}`, `${outDir}/${file}`);
}
rmSync(newDir, { recursive: true, force: true });
// The chunks of older builds go once they are an hour old: a CLI started before this build (a scenario run, a
// probe; the working tree is shared and rebuilt often) still loads its own chunks when its command gets to them.
// `--prune` (npm pack's prepack) removes them all: the package ships this build only.
const keepMs = process.argv.includes("--prune") ? 0 : 3_600_000;
// and, after an hour, what a build that was killed halfway left beside it (another may be building right now)
const parent = dirname(outDir);
for (const dir of readdirSync(parent)) {
  const path = `${parent}/${dir}`;
  if (/^cli-bundle\.\d+\.tmp$/.test(dir) && Date.now() - statSync(path).mtimeMs >= 3_600_000) {
    rmSync(path, { recursive: true, force: true });
  }
}
for (const file of readdirSync(outDir)) {
  const path = `${outDir}/${file}`;
  // .v8-cache: the code caches older builds wrote here
  const stale = file.endsWith(".v8-cache") || Date.now() - statSync(path).mtimeMs >= keepMs;
  if (!fresh.includes(file) && stale) rmSync(path, { force: true });
}

// A broken bundle fails the build here, not the first user.
const runs = [["--help"], ["explain", "139"], ["explain", "keepalive-timeout"], ["scenario", "--help"]];
const conf = "test/fixtures/conf/nanomq-shipped.conf";
if (existsSync(`${root}/${conf}`)) runs.push(["config", conf]);
// `mqdiag logs` on a small real log: its chunks (the classifier, the report) get their cache too.
const log = "test/fixtures/logs/nanomq-real-0.25.3-console.log";
if (existsSync(`${root}/${log}`)) runs.push(["logs", log]);
for (const args of runs) {
  const r = spawnSync(process.execPath, ["bin/mqdiag.js", ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  // config exits 1 on a finding; anything else means the bundle is broken
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`bundled mqdiag ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  }
}

// what of dist/src the package ships (dist/src/.npmignore)
await import("./package-files.mjs");
