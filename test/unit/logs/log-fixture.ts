import { readFileSync } from "node:fs";
import type { LogSummary } from "../../../src/logs/summary.js";

/** A log under test/fixtures/logs/, as text. */
export const readLogFixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/logs/${name}`, import.meta.url), "utf8");

/** A summary's incidents by signature id: how many, and the clients' ids sorted. */
export function incidents(s: LogSummary): Record<string, [number, string[]]> {
  return Object.fromEntries([...s.incidents].map(([k, v]) => [k, [v.count, [...v.clients].sort()]]));
}
