import type { ProbeResult } from "./types.js";

export const FAIL_ON = ["warn", "error"] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * With `--baseline`: 1 drift, 3 a check that ran in the baseline could not run now, else 0 (known deviations
 * do not fail). Otherwise:
 * 0 pass · 1 a finding at or above `failOn` (`fail` counts as error, `warn` as warn) · 3 inconclusive (a check
 * could not run: status `error`) when nothing reached `failOn`.
 */
export function probeExitStatus(result: ProbeResult, failOn: FailOn): 0 | 1 | 3 {
  // with a baseline only drift fails; a check that could not run now is inconclusive
  if (result.baseline) {
    if (result.baseline.drifted) return 1;
    return result.baseline.notes.some((n) => n.code === "inconclusive") ? 3 : 0;
  }
  const statuses = new Set(result.checks.map((c) => c.status));
  if (statuses.has("fail") || (failOn === "warn" && statuses.has("warn"))) return 1;
  if (statuses.has("error")) return 3;
  return 0;
}
