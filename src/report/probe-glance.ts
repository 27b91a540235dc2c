import chalk from "chalk";
import { CHECK_IDS, type CheckStatus } from "../probe/check-ids.js";
import type { FailOn } from "../probe/exit-status.js";
import { ownFinding, type ProbeFinding } from "../probe/findings.js";
import type { ProbeResult } from "../probe/types.js";
import { identifiedLine } from "./probe-identified.js";
import { answerLine, keepaliveDetail, modelLine, serverKeepAliveLines } from "./probe-keepalive-lines.js";
import { adviceSection, baselineSection, INSECURE_LINE, PAINT, probeHead } from "./probe-parts.js";
import { probeSummary } from "./probe-summary.js";
import { wrap } from "./width.js";

/** What `--details` adds, said under the glance. */
export const PROBE_DETAILS_HINT =
  "--details: each check's spec reference, every keepalive kick and the chart, the broker's own levers";

/** The statuses in the order the result line counts them: what needs looking at first. */
const ORDER: readonly CheckStatus[] = ["fail", "error", "warn", "skip", "pass"];

/** "checks: 1 fail (malformed) · 1 warn (keepalive) · 5 pass" */
function resultLine(checks: readonly ProbeFinding[]): string {
  const parts = ORDER.flatMap((status) => {
    const ids = checks.filter((c) => c.status === status).map((c) => c.id);
    if (ids.length === 0) return [];
    return [`${PAINT[status](`${ids.length} ${status}`)}${status === "pass" ? "" : ` (${ids.join(", ")})`}`];
  });
  return `checks: ${parts.join(" · ")}`;
}

/**
 * The glance view of `mqdiag probe` (issue 17): the broker identified, how many checks passed, one line per check
 * saying what it measured, the keepalive model and (with --keepalive) the kick window and safe ping interval, any
 * baseline drift, and the advice on what was found. A check that failed, could not run, warned at --fail-on warn
 * or drifted from the baseline shows its evidence too: its spec reference, and for keepalive the sessions' kicks,
 * the plan and the chart. The rest waits for --details.
 */
export function probeGlance(result: ProbeResult, width: number, failOn: FailOn): string[] {
  const drifted = new Set(result.baseline?.drift.map((d) => d.check) ?? []);
  const failing = (f: ProbeFinding) =>
    f.status === "fail" ||
    f.status === "error" ||
    (failOn === "warn" && f.status === "warn") ||
    drifted.has(f.id);
  const out = [probeHead(result)];
  if (result.insecure) out.push(chalk.red.bold(INSECURE_LINE));
  if (result.identified) out.push(identifiedLine(result.identified));
  out.push(resultLine(result.checks));
  const label = Math.max(...CHECK_IDS.map((id) => id.length)) + 2;
  const status = Math.max(...ORDER.map((s) => s.length)) + 2;
  for (const f of result.checks) {
    const text = `${probeSummary(f)}${failing(f) && f.specRef ? ` ${f.specRef}` : ""}`;
    const head = `  ${f.id.padEnd(label)}`;
    const [first = "", ...rest] = wrap(
      text,
      width,
      head + f.status.padEnd(status),
      " ".repeat(head.length + status),
    );
    out.push(`${head}${PAINT[f.status](f.status)}${first.slice(head.length + f.status.length)}`, ...rest);
  }
  const keepalive = result.checks.find((c) => c.id === "keepalive");
  const m = ownFinding(result.checks, "keepalive")?.measured;
  if (keepalive && failing(keepalive)) out.push("", ...keepaliveDetail(m, width));
  else if (m) {
    const lines = [
      ...(m.serverKeepAlive ? serverKeepAliveLines(m.serverKeepAlive, width) : []),
      `  inferred: ${modelLine(m.inferred)}`,
      m.forKeepalive
        ? `  ${answerLine(m.forKeepalive)}`
        : "  --keepalive <s>: when a client with that keepalive is kicked, and its safe ping interval",
    ];
    out.push("", chalk.bold("Keepalive"), ...lines);
  }
  out.push(...baselineSection(result), ...adviceSection(result, width, false));
  out.push("", chalk.gray(PROBE_DETAILS_HINT));
  return out;
}
