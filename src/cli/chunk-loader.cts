/**
 * Loads the bundled CLI (dist/src/cli-bundle, built by scripts/bundle-cli.mjs) with a V8 code cache per chunk, using
 * public APIs only (vm.Script's cachedData, module.createRequire): Node 20 has no compile cache of its own
 * (module.enableCompileCache came in Node 22.1; bin/mqdiag.js uses it instead where it exists). The cache spares V8
 * parsing and compiling what the build's own runs compiled: measured on this 2-core machine, 5–11 ms of CPU per
 * command (config 61 → 50 ms against 22 ms for `node -e 0`).
 *
 * Each chunk is run as CommonJS with a `require` of its own: a chunk's require of a sibling chunk (`./name.<hash>.cjs`)
 * comes back here, anything else goes to Node's require for that file. Only chunks whose file name carries their
 * content hash get a cache: V8 checks a cache against the source's length only, and a rebuilt chunk is a new file
 * name. A cache V8 rejects (another Node or V8 version) costs one file read: V8 compiles the chunk as usual.
 *
 * CommonJS (.cts) because bin/mqdiag.js require()s it before the bundle, which is CommonJS too.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { Script } from "node:vm";

/** `name.<hash>.cjs` (rolldown's 8-character content hash). */
const HASHED = /\.[\w-]{8}\.cjs$/;

/** The file holding a chunk's code cache. */
export function cacheFileOf(chunk: string): string {
  return `${chunk}.v8-cache`;
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

/**
 * Runs the bundle's entry `entry` and returns its exports. With `write` (the build only), each hashed chunk's cache
 * is written when the process exits, keeping the larger of the old and the new one (the larger holds more compiled
 * functions: the build runs several commands, each compiling its own part of a chunk).
 */
export function loadBundle(entry: string, options: { write?: boolean } = {}): unknown {
  const loaded = new Map<string, ChunkModule>();
  const compiled: Array<{ script: Script; file: string }> = [];

  function load(file: string): unknown {
    const known = loaded.get(file);
    if (known) return known.exports;
    const module: ChunkModule = { exports: {} };
    loaded.set(file, module);
    const cached = HASHED.test(file);
    let cachedData: Buffer | undefined;
    if (cached && !options.write) cachedData = readOrUndefined(cacheFileOf(file));
    const source = readFileSync(file, "utf8");
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
      filename: file,
      cachedData,
    });
    if (cached) {
      if (cachedData === undefined) codeCacheUse.missing++;
      else if (script.cachedDataRejected) codeCacheUse.rejected++;
      else codeCacheUse.accepted++;
      if (options.write) compiled.push({ script, file: cacheFileOf(file) });
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

  if (options.write) process.once("exit", () => writeCaches(compiled));
  return load(createRequire(__filename).resolve(resolve(entry)));
}

function writeCaches(compiled: ReadonlyArray<{ script: Script; file: string }>): void {
  for (const { script, file } of compiled) {
    const data = script.createCachedData();
    if (data.length <= sizeOf(file)) continue;
    // written aside and renamed: a process reading the cache meanwhile sees the old one or the new one
    writeFileSync(`${file}.${process.pid}`, data);
    renameSync(`${file}.${process.pid}`, file);
  }
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
