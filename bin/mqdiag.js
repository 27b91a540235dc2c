#!/usr/bin/env node
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// `npm run build` bundles the CLI into CommonJS chunks in dist/src/cli-bundle (scripts/bundle-cli.mjs), with a V8
// code cache for each (src/cli/code-cache.cts). With --verbose or MQDIAG_DEBUG, Node reads the chunks' source maps
// instead, so that an internal error's stack trace points into the TypeScript sources (the cache is not used).
const require = createRequire(import.meta.url);
if (process.argv.includes("--verbose") || process.env.MQDIAG_DEBUG) {
  process.setSourceMapsEnabled(true);
} else {
  const { installCodeCache } = require("../dist/src/cli/code-cache.cjs");
  installCodeCache(fileURLToPath(new URL("../dist/src/cli-bundle", import.meta.url)), {
    write: Boolean(process.env.MQDIAG_WRITE_CODE_CACHE),
  });
}
const { main } = require("../dist/src/cli-bundle/mqdiag.cjs");
await main(process.argv);
