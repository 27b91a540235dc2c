import type { ProbeResult } from "./types.js";

export const FAIL_ON = ["warn", "error"] as const;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * 0 pass · 1 a finding at or above `failOn` (`fail` counts as error, `warn` as warn) · 3 inconclusive (a check
 * could not run: status `error`) when nothing reached `failOn`.
 */
export function probeExitStatus(result: ProbeResult, failOn: FailOn): 0 | 1 | 3 {
  const statuses = new Set(result.checks.map((c) => c.status));
  if (statuses.has("fail") || (failOn === "warn" && statuses.has("warn"))) return 1;
  if (statuses.has("error")) return 3;
  return 0;
}
