import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { errorMessage, UsageError } from "../core/errors.js";
import { BASELINE_SCHEMA, type Baseline } from "./baseline.js";
import { CHECK_IDS, STATUSES } from "./check-ids.js";

/**
 * Reads `--baseline FILE` before any probing; anything that is not a baseline this version wrote is ONE usage
 * line (exit 2) naming the file and what is wrong with it.
 */
export function readBaseline(path: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(`--baseline: cannot read ${path}: ${errorMessage(err)}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new UsageError(`--baseline: ${path} is not JSON (write one with --save-baseline)`);
  }
  const problem = validate(doc);
  if (problem) throw new UsageError(`--baseline: ${path} is not a probe baseline: ${problem}`);
  return doc as Baseline;
}

function validate(doc: unknown): string | undefined {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return "not a JSON object";
  const d = doc as Record<string, unknown>;
  if (d.schema !== BASELINE_SCHEMA)
    return `schema is ${JSON.stringify(d.schema ?? null)}, expected "${BASELINE_SCHEMA}"`;
  if (!Array.isArray(d.checks)) return "no checks list";
  for (const c of d.checks as Record<string, unknown>[]) {
    if (typeof c !== "object" || c === null) return "a check is not an object";
    if (!(CHECK_IDS as readonly unknown[]).includes(c.id)) return `unknown check ${JSON.stringify(c.id)}`;
    if (!(STATUSES as readonly unknown[]).includes(c.status))
      return `check ${c.id}: unknown status ${JSON.stringify(c.status)}`;
    if (typeof c.code !== "string" || !Array.isArray(c.deviations))
      return `check ${c.id}: no code or deviations`;
  }
  const k = d.keepalive as Record<string, unknown> | null | undefined;
  if (k !== null && (typeof k !== "object" || typeof k?.model !== "string")) return "keepalive model missing";
  if (typeof d.savedAt !== "string") return "no savedAt";
  return undefined;
}

/** Refuses a `--save-baseline` path that cannot be written, before any probing (like --output). */
export function checkBaselineWritable(path: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // does not exist yet: its folder must be writable
  }
  if (isDirectory) throw new UsageError(`--save-baseline: ${path} is a directory`);
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch {
    throw new UsageError(`--save-baseline: cannot write ${path}: no writable folder ${dirname(path)}`);
  }
}

export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (err) {
    throw new UsageError(`--save-baseline: cannot write ${path}: ${errorMessage(err)}`);
  }
}
