import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { errorMessage, UsageError } from "../core/errors.js";
import { BASELINE_SCHEMA, type Baseline, type BaselineCheck, type BaselineModel } from "./baseline.js";
import { CHECK_IDS, STATUSES } from "./check-ids.js";
import { MODELS } from "./keepalive-fit-types.js";

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
  const baseline = parseBaseline(doc);
  if (typeof baseline === "string")
    throw new UsageError(`--baseline: ${path} is not a probe baseline: ${baseline}`);
  return baseline;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T => list.some((x) => x === v);
const isNumberOrNull = (v: unknown): v is number | null => v === null || typeof v === "number";
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/** The baseline a parsed JSON document holds, or what is wrong with it. */
function parseBaseline(doc: unknown): Baseline | string {
  if (!isRecord(doc)) return "not a JSON object";
  if (doc.schema !== BASELINE_SCHEMA)
    return `schema is ${JSON.stringify(doc.schema ?? null)}, expected "${BASELINE_SCHEMA}"`;
  if (!Array.isArray(doc.checks)) return "no checks list";
  const checks: BaselineCheck[] = [];
  for (const c of doc.checks) {
    if (!isRecord(c)) return "a check is not an object";
    if (!isOneOf(CHECK_IDS, c.id)) return `unknown check ${JSON.stringify(c.id)}`;
    if (!isOneOf(STATUSES, c.status)) return `check ${c.id}: unknown status ${JSON.stringify(c.status)}`;
    if (typeof c.code !== "string" || !isStrings(c.deviations)) return `check ${c.id}: no code or deviations`;
    checks.push({ id: c.id, status: c.status, code: c.code, deviations: c.deviations });
  }
  const keepalive = parseModel(doc.keepalive);
  if (keepalive === undefined) return "keepalive model missing";
  if (typeof doc.savedAt !== "string") return "no savedAt";
  if (typeof doc.target !== "string") return "no target";
  const { mqttVersion } = doc;
  if (mqttVersion !== null && mqttVersion !== "5" && mqttVersion !== "3.1.1")
    return `unknown mqttVersion ${JSON.stringify(mqttVersion)}`;
  return {
    schema: BASELINE_SCHEMA,
    savedAt: doc.savedAt,
    target: doc.target,
    mqttVersion,
    keepalive,
    checks,
  };
}

/** The keepalive model of a baseline (null: none was fitted), or undefined when it is not one. */
function parseModel(k: unknown): BaselineModel | null | undefined {
  if (k === null) return null;
  if (!isRecord(k) || !isOneOf(MODELS, k.model)) return undefined;
  const { multiplier, multiplierRange, tickS, granularityS } = k;
  if (!isNumberOrNull(multiplier) || !isNumberOrNull(tickS) || !isNumberOrNull(granularityS))
    return undefined;
  if (multiplierRange === null) return { model: k.model, multiplier, multiplierRange, tickS, granularityS };
  if (!Array.isArray(multiplierRange) || multiplierRange.length !== 2) return undefined;
  const [lo, hi] = multiplierRange;
  if (typeof lo !== "number" || !isNumberOrNull(hi)) return undefined;
  return { model: k.model, multiplier, multiplierRange: [lo, hi], tickS, granularityS };
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
