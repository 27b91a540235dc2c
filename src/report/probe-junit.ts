import { formatTarget } from "../core/target.js";
import type { FailOn } from "../probe/exit-status.js";
import type { ProbeResult } from "../probe/types.js";
import { junitXml } from "./junit.js";
import { baselineFor } from "./probe-baseline.js";
import { probeSummary } from "./probe-summary.js";

/**
 * One testsuite per probe run, one testcase per check. `fail` (and `warn` when failing on warn) becomes a
 * <failure>, `error` an <error>, `skip` a <skipped>; the measured numbers go to <system-out> as JSON.
 */
export function probeJunit(result: ProbeResult, failOn: FailOn = "error"): string {
  const where = formatTarget(result.target);
  return junitXml({
    name: `mqdiag probe ${where}`,
    timestamp: result.startedAt,
    timeSeconds: result.durationMs / 1000,
    properties: {
      target: where,
      mqttVersion: result.target.mqttVersion ?? "none",
      insecure: String(result.insecure),
    },
    cases: result.checks.map((f) => {
      const summary = probeSummary(f);
      const against = result.baseline ? baselineFor(result.baseline, f.id) : undefined;
      // with a baseline only drift fails a testcase; known deviations pass with a note
      const failed = against
        ? against.drift.length > 0
        : f.status === "fail" || (f.status === "warn" && failOn === "warn");
      const detail = against?.drift.length
        ? { message: `drift: ${against.drift.join("; ")}`, type: "drift", body: f.specRef ?? "" }
        : { message: `${f.code}: ${summary}`, type: f.code, body: f.specRef ?? "" };
      return {
        name: f.id,
        classname: "mqdiag.probe",
        ...(failed ? { failure: detail } : {}),
        ...(f.status === "error" ? { error: detail } : {}),
        ...(f.status === "skip" ? { skipped: summary } : {}),
        output: `${f.status}: ${summary}\n${against?.notes.length ? `${against.notes.join("\n")}\n` : ""}${JSON.stringify(f.measured)}`,
      };
    }),
  });
}
