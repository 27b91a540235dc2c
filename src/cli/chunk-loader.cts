/**
 * Loads the bundled CLI (dist/src/cli-bundle, built by scripts/bundle-cli.mjs) with a V8 code cache per chunk, using
 * public APIs only (vm.Script's cachedData, module.createRequire): Node 20 has no compile cache of its own
 * (module.enableCompileCache came in Node 22.1; bin/mqdiag.js uses it instead where it exists). The cache spares V8
 * parsing and compiling what an earlier run compiled (issue 11 measured 5–11 ms of CPU per command on 2 cores).
 *
 * The cache is not shipped: V8 rejects a cache another Node or V8 version wrote. It is written on first use, like
 * Node's own compile cache, into $NODE_COMPILE_CACHE or <tmpdir>/node-compile-cache, in a folder per Node version
 * and architecture: a chunk that came without a cache, or with one V8 rejected, has its cache written when the
 * process exits. A folder that cannot be written costs nothing but the cache.
 *
 * Each chunk is run as CommonJS with a `require` of its own: a chunk's require of a sibling chunk (`./name.<hash>.cjs`)
 * comes back here, anything else goes to Node's require for that file. Only chunks whose file name carries their
 * content hash get a cache: V8 checks a cache against the source's length only, and a rebuilt chunk is a new file
 * name.
 *
 * CommonJS (.cts) because bin/mqdiag.js require()s it before the bundle, which is CommonJS too.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { Script } from "node:vm";

/** `name.<hash>.cjs` (rolldown's 8-character content hash). */
const HASHED = /\.[\w-]{8}\.cjs$/;

/**
 * The folder holding this Node's caches of the chunks, one per command. A cache holds the functions its writing run
 * had compiled, and is written once: the chunks every command loads (commander's program, the shared code) would
 * otherwise keep whatever the first command ever run compiled of them, and each later command compile the rest on
 * every run (`config` after `--help` had written them: ~14 ms a run more than with the 216 KB cache of its own).
 * The command is the first word of the command line that names a command's run chunk (`config` for
 * `config-run.<hash>.cjs`); any other run shares the folder `_`.
 */
export function cacheDir(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = process.argv,
  bundleDir?: string,
): string {
  const base = env.NODE_COMPILE_CACHE || join(tmpdir(), "node-compile-cache");
  return join(base, "mqdiag", `${process.version}-${process.arch}`, commandOf(argv, bundleDir));
}

function commandOf(argv: readonly string[], bundleDir: string | undefined): string {
  const word = argv.slice(2).find((a) => !a.startsWith("-"));
  if (word === undefined || bundleDir === undefined || !/^[a-z][a-z-]*$/.test(word)) return "_";
  try {
    return readdirSync(bundleDir).some((f) => f.startsWith(`${word}-run.`) && f.endsWith(".cjs"))
      ? word
      : "_";
  } catch {
    return "_";
  }
}

/** How the chunks compiled so far in this process went: with their cache, with one V8 rejected, or without one. */
export const codeCacheUse = { accepted: 0, rejected: 0, missing: 0 };

interface ChunkModule {
  exports: unknown;
}
type Wrapper = (
  exports: unknown,
  require: NodeJS.Require,
  module: ChunkModule,
  filename: string,
  dirname: string,
) => void;

/** Runs the bundle's entry `entry` and returns its exports. */
export function loadBundle(entry: string): unknown {
  const dir = cacheDir(process.env, process.argv, dirname(resolve(entry)));
  const loaded = new Map<string, ChunkModule>();
  const uncached: Array<{ script: Script; file: string }> = [];

  function load(file: string): unknown {
    const known = loaded.get(file);
    if (known) return known.exports;
    const module: ChunkModule = { exports: {} };
    loaded.set(file, module);
    const cacheFile = HASHED.test(file) ? join(dir, `${basename(file)}.v8-cache`) : undefined;
    const cachedData = cacheFile === undefined ? undefined : readOrUndefined(cacheFile);
    const source = readFileSync(file, "utf8");
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
      filename: file,
      cachedData,
    });
    if (cacheFile !== undefined) {
      if (cachedData === undefined) codeCacheUse.missing++;
      else if (script.cachedDataRejected) codeCacheUse.rejected++;
      else codeCacheUse.accepted++;
      if (cachedData === undefined || script.cachedDataRejected) uncached.push({ script, file: cacheFile });
    }
    const nodeRequire = createRequire(file);
    const chunkRequire = ((id: string) => {
      // resolved through Node (a sibling chunk's path, and any import tracer sees it), then loaded here
      const path = nodeRequire.resolve(id);
      return path.endsWith(".cjs") && dirname(path) === dirname(file) ? load(path) : nodeRequire(id);
    }) as NodeJS.Require;
    Object.assign(chunkRequire, {
      resolve: nodeRequire.resolve,
      cache: nodeRequire.cache,
      main: nodeRequire.main,
    });
    const wrapper = script.runInThisContext({ displayErrors: true }) as Wrapper;
    wrapper.call(module.exports, module.exports, chunkRequire, module, file, dirname(file));
    return module.exports;
  }

  // at exit, the cache holds every function this command compiled, not only those compiled on loading
  process.once("exit", () => writeCaches(dir, uncached));
  return load(createRequire(__filename).resolve(resolve(entry)));
}

function writeCaches(dir: string, uncached: ReadonlyArray<{ script: Script; file: string }>): void {
  if (uncached.length === 0) return;
  try {
    mkdirSync(dir, { recursive: true });
    for (const { script, file } of uncached) {
      // written aside and renamed: a process reading the cache meanwhile sees none or the whole one
      writeFileSync(`${file}.${process.pid}`, script.createCachedData());
      renameSync(`${file}.${process.pid}`, file);
    }
  } catch {
    // a read-only or full disk: the next run compiles as this one did
  }
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
