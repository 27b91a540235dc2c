import { readdir } from "node:fs/promises";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `npm run bench [-- name...]`: runs every bench/*.bench.ts (compiled to dist/bench) in turn, or the named ones.
 * Each bench file default-exports an async function that measures against a reference measured in the same run
 * and prints its own ratios. Benchmarks are not tests: they report numbers, they do not pass or fail.
 */
const here = fileURLToPath(new URL(".", import.meta.url));
const wanted = process.argv.slice(2);
const files = (await readdir(here)).filter((f) => f.endsWith(".bench.js")).sort();
for (const file of files) {
  const name = basename(file, ".bench.js");
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n== bench: ${name} ==`);
  const mod = (await import(new URL(file, import.meta.url).href)) as { default: () => Promise<void> };
  await mod.default();
}
