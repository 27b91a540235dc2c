import type { ProbeResult } from "../probe/types.js";
import { probeSummary } from "./probe-summary.js";

/**
 * `"schema": "mqdiag.probe/v1"`: the result with each finding's one-line `summary` added, and with `--baseline`
 * a `baseline` object (file, savedAt, drifted, drift[], notes[]; baseline.ts).
 */
export function probeJson(result: ProbeResult): string {
  const doc = {
    schema: result.schema,
    target: result.target,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    insecure: result.insecure,
    checks: result.checks.map((f) => ({
      id: f.id,
      status: f.status,
      code: f.code,
      specRef: f.specRef,
      measured: f.measured,
      summary: probeSummary(f),
    })),
    ...(result.identified ? { identified: result.identified } : {}),
    ...(result.baseline ? { baseline: result.baseline } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
