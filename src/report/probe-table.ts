import chalk from "chalk";
import type { FailOn } from "../probe/exit-status.js";
import { ownFinding } from "../probe/findings.js";
import type { ProbeResult } from "../probe/types.js";
import { fitTable } from "./fit-table.js";
import { probeGlance } from "./probe-glance.js";
import { identifiedLine } from "./probe-identified.js";
import { keepaliveDetail } from "./probe-keepalive-lines.js";
import { adviceSection, baselineSection, INSECURE_LINE, PAINT, probeHead } from "./probe-parts.js";
import { probeSummary } from "./probe-summary.js";
import { DEFAULT_WIDTH, fitLines } from "./width.js";

/** How much the table report shows: the glance (default), or every piece of evidence (`--details`). */
export interface ProbeView {
  details?: boolean;
  /** `--fail-on`: a warning at or above it shows its evidence in the glance, as a failure does. */
  failOn?: FailOn;
}

/**
 * The `mqdiag probe` table report, every line at most `width` columns: the glance (probe-glance.ts) or, with
 * `details`, everything: one table row per check with its spec reference, the keepalive sessions' kicks, the
 * model, the plan and the chart, then every piece of advice.
 */
export function probeTable(result: ProbeResult, width = DEFAULT_WIDTH, view: ProbeView = {}): string {
  const lines = view.details
    ? detailLines(result, width)
    : probeGlance(result, width, view.failOn ?? "error");
  return `${fitLines(lines.join("\n"), width)}\n`;
}

function detailLines(result: ProbeResult, width: number): string[] {
  const out = [probeHead(result)];
  if (result.insecure) out.push(chalk.red.bold(INSECURE_LINE));
  out.push(
    fitTable(
      ["check", "status", "measured", "spec"],
      result.checks.map((f) => [f.id, PAINT[f.status](f.status), probeSummary(f), f.specRef ?? ""]),
      [{}, {}, { min: 24 }, { min: 12 }],
      width,
    ),
  );
  if (result.identified) out.push(identifiedLine(result.identified));
  const keepalive = result.checks.find((c) => c.id === "keepalive");
  if (keepalive) out.push("", ...keepaliveDetail(ownFinding(result.checks, "keepalive")?.measured, width));
  out.push(...baselineSection(result), ...adviceSection(result, width, true));
  return out;
}
