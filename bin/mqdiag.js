#!/usr/bin/env node
"use strict";
// CommonJS (bin/package.json), as the bundle it runs: Node's ESM loader is not needed at all.
// `npm run build` bundles the CLI into CommonJS chunks in dist/src/cli-bundle (scripts/bundle-cli.mjs), with a V8
// code cache for each (src/cli/code-cache.cts). With --verbose or MQDIAG_DEBUG, Node reads the chunks' source maps
// instead, so that an internal error's stack trace points into the TypeScript sources (the cache is not used).
const { join } = require("node:path");

if (process.argv.includes("--verbose") || process.env.MQDIAG_DEBUG) {
  process.setSourceMapsEnabled(true);
} else {
  const { installCodeCache } = require("../dist/src/cli/code-cache.cjs");
  installCodeCache(join(__dirname, "../dist/src/cli-bundle"), {
    write: Boolean(process.env.MQDIAG_WRITE_CODE_CACHE),
  });
}
// main() reports every error itself and sets the exit status
require("../dist/src/cli-bundle/mqdiag.cjs").main(process.argv);
