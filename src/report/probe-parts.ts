import chalk from "chalk";
import { formatTarget } from "../core/target.js";
import type { CheckStatus } from "../probe/check-ids.js";
import type { ProbeResult } from "../probe/types.js";
import { baselineLines } from "./probe-baseline.js";
import { identifiedAdvice } from "./probe-identified.js";
import { probeAdvice } from "./probe-summary.js";
import { proseWidth, wrap } from "./width.js";

/** The parts of the `mqdiag probe` table report that its glance and its --details view share. */

export const PAINT: Record<CheckStatus, (s: string) => string> = {
  pass: chalk.green,
  skip: chalk.gray,
  warn: chalk.yellow,
  fail: chalk.red,
  error: chalk.magenta,
};

/** The report's first line: the target, the MQTT version, how long the probe took. */
export const probeHead = (result: ProbeResult) =>
  chalk.bold(
    `mqdiag probe ${formatTarget(result.target)} · MQTT ${result.target.mqttVersion ?? "-"} · ${result.durationMs / 1000} s`,
  );

export const INSECURE_LINE =
  "TLS certificate NOT verified (--insecure): the results say nothing about who answered.";

/** The baseline comparison, its head red on drift. */
export function baselineSection(result: ProbeResult): string[] {
  if (!result.baseline) return [];
  const [head, ...rest] = baselineLines(result.baseline);
  return ["", chalk.bold(result.baseline.drifted ? chalk.red(head) : head), ...rest];
}

/** Each check's advice when it has some, then (with `levers`) the identified broker's own keepalive levers. */
export function adviceSection(result: ProbeResult, width: number, levers: boolean): string[] {
  const advice = [
    ...result.checks.map(probeAdvice).filter((a): a is string => a !== undefined),
    ...(levers && result.identified ? identifiedAdvice(result.identified) : []),
  ];
  if (advice.length === 0) return [];
  return ["", chalk.bold("Advice"), ...advice.flatMap((a) => wrap(a, proseWidth(width), "- ", "  "))];
}
