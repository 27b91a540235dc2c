#!/usr/bin/env node
"use strict";
// CommonJS (bin/package.json), as the bundle it runs: Node's ESM loader is not needed at all.
// `npm run build` bundles the CLI into CommonJS chunks in dist/src/cli-bundle (scripts/bundle-cli.mjs). Where Node
// has a compile cache of its own (module.enableCompileCache, Node ≥ 22.1) it is used; on Node 20 the chunks are
// loaded with a V8 code cache written on first use (src/cli/chunk-loader.cts, public APIs only). With
// --verbose or MQDIAG_DEBUG, Node loads the chunks itself and reads their source maps, so that an internal error's
// stack trace points into the TypeScript sources.
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const nodeModule = require("node:module");

const entry = join(__dirname, "../dist/src/cli-bundle/mqdiag.cjs");
if (!existsSync(entry)) {
  process.stderr.write(
    "mqdiag: not built yet: run `npm run build` (or `npm ci`) in the mqdiag folder first\n",
  );
  process.exit(2);
}
let cli;
if (process.argv.includes("--verbose") || process.env.MQDIAG_DEBUG) {
  process.setSourceMapsEnabled(true);
  cli = require(entry);
} else if (typeof nodeModule.enableCompileCache === "function") {
  nodeModule.enableCompileCache();
  cli = require(entry);
} else {
  const { loadBundle } = require("../dist/src/cli/chunk-loader.cjs");
  cli = loadBundle(entry);
}
// main() reports every error itself and sets the exit status
cli.main(process.argv);
