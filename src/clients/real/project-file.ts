import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/**
 * A file shipped with mqdiag outside dist (the real clients' programs under clients/), found from this module
 * whether it runs from dist/src, from the CLI bundle or from the sources: the nearest folder up with mqdiag's
 * package.json.
 */
export function projectFile(...parts: string[]): string {
  if (root === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!isMqdiagRoot(dir) && dirname(dir) !== dir) dir = dirname(dir);
    root = dir;
  }
  return join(root, ...parts);
}

function isMqdiagRoot(dir: string): boolean {
  const pkg = join(dir, "package.json");
  if (!existsSync(pkg)) return false;
  try {
    return (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "mqdiag";
  } catch {
    return false;
  }
}
