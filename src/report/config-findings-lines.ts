import chalk from "chalk";
import type { ConfigFinding, Severity } from "../config/config-finding.js";
import { configFindingMessage } from "./config-messages.js";
import { proseWidth, wrap } from "./width.js";

const PAINT: Record<Severity, (s: string) => string> = {
  error: chalk.red,
  warning: chalk.yellow,
  info: chalk.cyan,
};

/** The `Findings` block of a config report: one wrapped item per finding, its severity coloured. */
export function findingLines(findings: readonly ConfigFinding[], width: number): string[] {
  if (findings.length === 0) return [];
  const out = ["", chalk.bold("Findings")];
  for (const f of findings) {
    // the severity word is coloured after wrapping, so that wrapping measures plain text
    const [first, ...rest] = wrap(
      `${f.severity} ${f.code}: ${configFindingMessage(f)}`,
      proseWidth(width),
      "- ",
      "  ",
    );
    out.push(`- ${PAINT[f.severity](f.severity)}${(first ?? "").slice(2 + f.severity.length)}`, ...rest);
  }
  return out;
}
