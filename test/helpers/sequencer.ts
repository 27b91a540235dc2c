import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The order the test files start in, so that long ones do not start last: a fresh clone has no vitest cache to
 * order by duration, and vitest's default runs project after project by name, largest file first. Here the
 * real-NanoMQ files come first (long, waiting on the brokers' own timers, little CPU; side by side with each other
 * rather than with the CLI files' many processes, which their timing was not measured against), then the CLI files
 * (the most CPU), then the other integration files, the unit files (all short) last; each largest first. A file's
 * size counts the suite modules beside it that it imports (`./x.js`): classifier-ground-truth-0.21.9's three lines
 * run a 30-second suite.
 */
const PROJECT_ORDER = ["nanomq", "cli", "integration", "unit"];

function size(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function weight(file: string): number {
  const text = readFileSync(file, "utf8");
  let total = text.length;
  for (const m of text.matchAll(/from "\.\/([^"/]+)\.js"/g)) total += size(join(dirname(file), `${m[1]}.ts`));
  return total;
}

export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (s: TestSpecification) => {
      const i = PROJECT_ORDER.indexOf(s.project.name);
      return i < 0 ? PROJECT_ORDER.length : i;
    };
    const weights = new Map(files.map((s) => [s, weight(s.moduleId)]));
    return [...files].sort((a, b) => rank(a) - rank(b) || (weights.get(b) ?? 0) - (weights.get(a) ?? 0));
  }
}
