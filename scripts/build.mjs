/**
 * `npm run build`: tsc (dist/: the library, the bench, the fuzz campaign), then the CLI
 * bundle (scripts/bundle-cli.mjs). The bundle is built even when tsc reports type errors, as tsc still writes its
 * output then: the CLI that bin/mqdiag.js runs is always the current source. The exit status is tsc's.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const { status } = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
  cwd: new URL("..", import.meta.url),
  stdio: "inherit",
});
await import("./bundle-cli.mjs");
process.exitCode = status ?? 1;
