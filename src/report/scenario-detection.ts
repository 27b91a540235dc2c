import { nanomqEraText } from "../scenarios/detect-broker.js";
import type { ScenarioRun } from "../scenarios/types.js";

/**
 * The report's word on an external broker run without --profile: what its log said it is, and from which line, or
 * that the log did not tell (the default profile was used). Undefined when the profile was given.
 */
export function detectionText(run: ScenarioRun): string | undefined {
  if (run.target.profileDetected === undefined) return undefined;
  const d = run.target.detected;
  if (!d)
    return `broker not recognised from its log (no line the catalogue knows): expectations are the ${run.target.profile.profile} profile's; pass --profile to choose`;
  const what = d.profile === "nanomq" ? `NanoMQ, wording of ${nanomqEraText(d)}` : "mosquitto";
  const from = d.evidence[0] !== undefined ? ` — from \`${shorten(d.evidence[0])}\`` : "";
  return `broker detected from its log: ${what}${from} (--profile overrides)`;
}

/** A log line without its timestamp/thread/path prefix, cut to 90 characters. */
function shorten(line: string): string {
  const message = line.replace(/^.*?\.c:\d+(?: \w+)?: /, "");
  return message.length > 90 ? `${message.slice(0, 87)}…` : message;
}
