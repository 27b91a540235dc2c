import { nanomqEraText } from "../scenarios/detect-broker.js";
import type { ScenarioRun } from "../scenarios/types.js";

/**
 * The report's word on an external broker run without --profile: what its log said it is, and from which line, or
 * that the log did not tell (the default profile was used); and the Q and M its log gave. Undefined when neither.
 */
export function detectionText(run: ScenarioRun): string | undefined {
  const parts = [brokerText(run), settingsText(run)].filter((t) => t !== undefined);
  return parts.length > 0 ? parts.join(" · ") : undefined;
}

/** Q and M the broker's own log gave (NanoMQ's start-up block at `info`), when they were read from it. */
function settingsText(run: ScenarioRun): string | undefined {
  const s = run.target.settingsFromLog;
  if (!s) return undefined;
  return `retry_interval ${s.retryIntervalMs / 1000} s and keepalive_multiplier ${s.keepaliveMultiplier} read from the broker log's start-up block (options override)`;
}

function brokerText(run: ScenarioRun): string | undefined {
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
