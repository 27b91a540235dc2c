import { formatTarget } from "../core/target.js";
import type { FailOn } from "../probe/exit-status.js";
import type { ProbeResult } from "../probe/types.js";
import { junitXml } from "./junit.js";
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
      const detail = { message: `${f.code}: ${summary}`, type: f.code, body: f.specRef ?? "" };
      const failed = f.status === "fail" || (f.status === "warn" && failOn === "warn");
      return {
        name: f.id,
        classname: "mqdiag.probe",
        ...(failed ? { failure: detail } : {}),
        ...(f.status === "error" ? { error: detail } : {}),
        ...(f.status === "skip" ? { skipped: summary } : {}),
        output: `${f.status}: ${summary}\n${JSON.stringify(f.measured)}`,
      };
    }),
  });
}
