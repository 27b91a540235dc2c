import chalk from "chalk";
import type { ClientRecord } from "../fleet/types.js";
import type { ScenarioResult, ScenarioRun, Verdict } from "../scenarios/types.js";
import { checkText, EXPLANATIONS } from "./scenario-messages.js";
import { reportTable } from "./table.js";
import { timelineText } from "./timeline.js";

const VERDICT_COLOUR: Record<Verdict, (s: string) => string> = {
  reproduced: chalk.green,
  "not-reproduced": chalk.red,
  unexpected: chalk.yellow,
};

function signaturesCell(s: ScenarioResult): string {
  if (!s.brokerObserved) return chalk.dim("broker side not observed (no --broker-log)");
  if (s.signatures.length === 0) return chalk.dim("none");
  return s.signatures
    .map((g) => {
      const detail =
        g.detail.rv !== undefined ? ` rv ${g.detail.rv}` : g.detail.reason ? ` (${g.detail.reason})` : "";
      return `${g.id}${detail} @ ${(g.at / 1000).toFixed(1)} s`;
    })
    .join("\n");
}

function clientCell(r: ClientRecord): string {
  if (r.closedAt === null) return `${r.clientId}: still open`;
  const after = r.connectedAt !== null ? ` after ${((r.closedAt - r.connectedAt) / 1000).toFixed(1)} s` : "";
  const rc = r.reasonCode !== null ? ` 0x${r.reasonCode.toString(16)}` : "";
  return `${r.clientId}: closed by ${r.closedBy} (${r.closeKind}${rc})${after}`;
}

/** The table report: one row per scenario, then per scenario its checks, timeline and a one-line explanation. */
export function scenarioTable(run: ScenarioRun): string {
  const p = run.target.profile;
  const head = `target: ${run.target.kind}${run.target.url ? ` ${run.target.url}` : ""} · profile ${p.profile} · retry interval ${p.retryIntervalMs / 1000} s · keepalive multiplier ${p.keepaliveMultiplier} · time scale ${run.target.timeScale}`;
  const table = reportTable([
    "scenario",
    "signatures seen (scenario time)",
    "what the clients saw",
    "verdict",
  ]);
  for (const s of run.scenarios) {
    const subjects = s.clients.filter((c) => !c.control);
    table.push([
      s.name,
      signaturesCell(s),
      subjects.slice(0, 4).map(clientCell).join("\n") +
        (subjects.length > 4 ? `\n… ${subjects.length - 4} more` : ""),
      VERDICT_COLOUR[s.verdict](s.verdict),
    ]);
  }
  const sections = run.scenarios.map((s) => {
    const lines = [
      chalk.bold(`${s.name}`) +
        chalk.dim(
          ` (×${s.timeScale}, ${(s.durationMs / 1000).toFixed(1)} scenario s in ${(s.wallMs / 1000).toFixed(1)} s)`,
        ),
    ];
    for (const c of s.checks) lines.push(`  ${c.ok ? chalk.green("✓") : chalk.red("✗")} ${checkText(c)}`);
    if (s.budget) {
      const b = s.budget;
      lines.push(
        `  keepalive ${b.keepaliveMs / 1000} s: largest safe ping interval ${b.largestSafeMs === null ? "∞" : `${b.largestSafeMs / 1000} s`}, always kicked from ${b.smallestKickedMs === null ? "never" : `${b.smallestKickedMs / 1000} s`}`,
      );
      lines.push(`  sweep: ${b.sweep.map((x) => `${x.intervalMs / 1000} s ${x.outcome}`).join(" · ")}`);
    }
    lines.push(timelineText(s));
    lines.push(chalk.dim(`  ${EXPLANATIONS[s.explanation] ?? s.explanation}`));
    return lines.join("\n");
  });
  return [head, table.toString(), ...sections].join("\n\n");
}
