/**
 * `npm run build` and `npm pack` (prepack), after the bundle: writes dist/src/.npmignore so that the package ships
 * only what runs (package.json's `files` takes dist/src; npm honours an .npmignore inside it). What runs:
 * - the library: dist/src/index.js and every module it imports, with the type declarations index.d.ts reaches;
 * - the CLI: the bundle's chunks (dist/src/cli-bundle/*.cjs, no source maps), the loader bin/mqdiag.js runs them
 *   with on Node 20 (dist/src/cli/chunk-loader.cjs), and the link's relay thread, which the bundle starts as a
 *   worker from dist/src/link/relay-worker.js (src/link/relay-host.ts) with the modules it imports.
 * Everything else in dist/src (the unbundled CLI, the reports only the CLI uses, ...) is listed in the .npmignore.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ts = createRequire(import.meta.url)("typescript");
const dist = fileURLToPath(new URL("../dist/src", import.meta.url));
const ENTRIES = ["index.js", "index.d.ts", "link/relay-worker.js", "cli/chunk-loader.cjs"];

const keep = new Set();
function visit(file) {
  if (keep.has(file)) return;
  keep.add(file);
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith(".")) continue;
    const target = join(dirname(file), fileName);
    // a .d.ts names its imports as the .js files they declare
    const found = file.endsWith(".d.ts") ? target.replace(/\.js$/, ".d.ts") : target;
    if (!existsSync(found)) throw new Error(`${relative(dist, file)} imports ${fileName}, not built`);
    visit(found);
  }
}
for (const entry of ENTRIES) visit(join(dist, entry));

const shipped = (path) => keep.has(path) || /[\\/]cli-bundle[\\/][^\\/]+\.cjs$/.test(path);
const left = [];
(function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name !== ".npmignore" && !shipped(path)) left.push(`/${relative(dist, path)}`);
  }
})(dist);
writeFileSync(
  join(dist, ".npmignore"),
  `# written by scripts/package-files.mjs: what in dist/src does not run from the package\n${left.sort().join("\n")}\n`,
);
