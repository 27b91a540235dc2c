/**
 * A V8 code cache for the bundled CLI (dist/src/cli-bundle, built by scripts/bundle-cli.mjs). Node 20 has no
 * compile cache of its own (module.enableCompileCache and NODE_COMPILE_CACHE came in Node 22), so a chunk of the
 * bundle is compiled here with vm.Script and the cache `npm run build` wrote beside it, which spares V8 parsing
 * and compiling the functions that the build's own runs compiled (commander, cli-table3, chalk, our code).
 *
 * Only chunks whose file name carries their content hash (`name.<hash>.cjs`) are cached: V8 checks a cache
 * against the source's length only, and a new build of a chunk is a new file name. A cache that V8 rejects (another
 * Node or V8 version, other V8 flags) costs a file read and nothing else: V8 compiles the chunk as usual.
 *
 * This file is CommonJS (.cts) because bin/mqdiag.js require()s it before the bundle, which is CommonJS too.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { dirname, resolve, sep } from "node:path";
import { Script } from "node:vm";

/** `name.<hash>.cjs` (rolldown's 8-character content hash). */
const HASHED = /\.[\w-]{8}\.cjs$/;

/** The file holding a chunk's code cache. */
export function cacheFileOf(chunk: string): string {
  return `${chunk}.v8-cache`;
}

/** How the chunks compiled so far in this process went: with their cache, with one V8 rejected, or without one. */
export const codeCacheUse = { accepted: 0, rejected: 0, missing: 0 };

type CompiledWrapper = (
  exports: unknown,
  require: NodeJS.Require,
  module: NodeJS.Module,
  filename: string,
  dirname: string,
) => unknown;
type Compile = (this: NodeJS.Module, content: string, filename: string) => unknown;

/**
 * Compiles the hashed chunks under `dir` with their code cache from now on. With `write` (the build only), it
 * also writes each chunk's cache when the process exits, keeping the larger of the old and the new one (the larger
 * holds more compiled functions: the build runs several commands, and each compiles its own part of a chunk).
 */
export function installCodeCache(dir: string, options: { write?: boolean } = {}): void {
  const prefix = `${resolve(dir)}${sep}`;
  const proto = Module.prototype as unknown as { _compile: Compile };
  const compile = proto._compile;
  const compiled: Array<{ script: Script; file: string }> = [];
  proto._compile = function compileWithCache(this: NodeJS.Module, content: string, filename: string) {
    if (!filename.startsWith(prefix) || !HASHED.test(filename)) return compile.call(this, content, filename);
    let cachedData: Buffer | undefined;
    if (!options.write) {
      try {
        cachedData = readFileSync(cacheFileOf(filename));
      } catch {
        // no cache for this chunk: compile it
      }
    }
    const script = new Script(Module.wrap(content), { filename, cachedData });
    if (cachedData === undefined) codeCacheUse.missing++;
    else if (script.cachedDataRejected) codeCacheUse.rejected++;
    else codeCacheUse.accepted++;
    if (options.write) compiled.push({ script, file: cacheFileOf(filename) });
    const wrapper = script.runInThisContext({ displayErrors: true }) as CompiledWrapper;
    return wrapper.call(
      this.exports,
      this.exports,
      Module.createRequire(filename),
      this,
      filename,
      dirname(filename),
    );
  };
  if (options.write) {
    process.once("exit", () => {
      for (const { script, file } of compiled) {
        const data = script.createCachedData();
        if (data.length <= sizeOf(file)) continue;
        // written aside and renamed: a process reading the cache meanwhile sees the old one or the new one
        writeFileSync(`${file}.${process.pid}`, data);
        renameSync(`${file}.${process.pid}`, file);
      }
    });
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
