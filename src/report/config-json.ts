import type { ConfigFinding } from "../config/config-finding.js";
import { configFindingMessage } from "./config-messages.js";

/** `"schema": "mqdiag.config/v1"`: the report as data, each finding with its one-line `message` added. */
export function configJson(report: { findings: readonly ConfigFinding[] }): string {
  const doc = {
    ...report,
    findings: report.findings.map((f) => ({ ...f, message: configFindingMessage(f) })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
