import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * No import cycles in src, type-only imports included: a cycle makes the modules one unit that can only be
 * understood, tested and loaded together. The one exception is src/cli's lazy loading: a command's light module
 * loads its `*-run.ts` with a dynamic import(), and the run module imports the light one's types back.
 */
const SRC = path.resolve(import.meta.dirname, "../../src");
const IMPORT =
  /(?:^|\n)[ \t]*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(path.join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [path.join(dir, e.name)]
        : [],
  );
}

/** Every relative import (static, type-only, re-export or dynamic) of every file, as src-relative paths. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const rel = (f: string) => path.relative(SRC, f).split(path.sep).join("/");
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = [...readFileSync(file, "utf8").matchAll(IMPORT)].map((m) =>
      rel(path.resolve(path.dirname(file), (m[1] ?? m[2] ?? "").replace(/\.js$/, ".ts"))),
    );
    graph.set(rel(file), targets);
  }
  return graph;
}

/** The strongly connected components with more than one file (Tarjan): each is one import cycle or more. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      component.push(w);
    }
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("import cycles in src", () => {
  const graph = importGraph(sourceFiles(SRC));

  it("reads the imports of every file (the graph is not empty)", () => {
    expect(graph.size).toBeGreaterThan(300);
    expect(graph.get("cli/commands/probe.ts")).toContain("cli/commands/probe-run.ts");
    expect(graph.get("probe/baseline.ts")).toContain("probe/types.ts");
  });

  it("finds a cycle when there is one", () => {
    expect(
      cycles(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", ["a"]],
          ["d", ["a"]],
        ]),
      ),
    ).toEqual([["a", "b", "c"]]);
  });

  it("has none outside src/cli's lazy-loading pairs", () => {
    expect(cycles(graph).filter((c) => !c.every((f) => f.startsWith("cli/")))).toEqual([]);
  });
});
