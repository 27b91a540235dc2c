import chalk from "chalk";
import { formatSeconds } from "../core/seconds.js";
import type { ScenarioResult, Verdict } from "../scenarios/types.js";
import { wrapText } from "./scenario-layout.js";
import { checkText, skipText } from "./scenario-messages.js";
import { reportTable } from "./table.js";

/** The glance view's verdict colours (the detailed table uses the same). */
export const VERDICT_COLOUR: Record<Verdict, (s: string) => string> = {
  reproduced: chalk.green,
  "not-reproduced": chalk.red,
  unexpected: chalk.yellow,
  skipped: chalk.dim,
};

/** Checks every scenario gets from the runner: a scenario's own check says more about what it showed. */
const RUNNER_CHECKS = new Set(["signature-seen", "signature-absent", "control-not-kicked"]);

/** The signature ids in order of first appearance, after the first one's scenario time: `38.1 s keepalive-timeout, recv-error`. */
function signaturesLine(s: ScenarioResult): string {
  if (s.verdict === "skipped") return "not run against this broker";
  if (!s.brokerObserved) return "broker side not observed";
  if (s.signatures.length === 0) return "none";
  const first = Math.min(...s.signatures.map((g) => g.at));
  const ids = [...new Set(s.signatures.map((g) => g.id))];
  return `${formatSeconds(first)} ${ids.join(", ")}`;
}

/**
 * What a scenario showed, in one sentence: why it was skipped; its first failed check; its outcome's summary
 * (when its words give one); else its own first check (a kick, a close, a client's outcome); else its signatures.
 */
export function showedText(s: ScenarioResult): string {
  if (s.verdict === "skipped") return skipText(s.skipReason);
  const failed = s.checks.find((c) => !c.ok);
  if (failed) return checkText(failed);
  const summary = s.outcome?.summary?.(s);
  if (summary) return summary;
  const own = s.checks.find((c) => !RUNNER_CHECKS.has(c.code));
  if (own) return checkText(own);
  return `signatures: ${signaturesLine(s)}`;
}

/**
 * A real library asked for (--client) that could not run here, so its model played it: said in every view, with
 * the library's own reason (MQTT-C's source not given, a package missing), once per library.
 */
export function notRealNotes(s: ScenarioResult): string[] {
  const seen = new Map<string, string>();
  for (const c of s.clients) {
    const l = c.library;
    if (l && !l.real && l.notRealBecause !== undefined && !seen.has(l.id)) seen.set(l.id, l.notRealBecause);
  }
  return [...seen].map(([id, why]) => `${id} ran as its model: the real library cannot run here: ${why}`);
}

/** `text` cut to `width` columns with an ellipsis. */
const cut = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, width - 1)}…`);

/**
 * The glance view (issue 17): a table of one line per scenario (its signatures and verdict), then one line per
 * scenario saying what it showed, each within `width` columns.
 */
export function glanceLines(scenarios: readonly ScenarioResult[], width: number): string[] {
  const nameWidth = Math.max(10, ...scenarios.map((s) => s.name.length)) + 2;
  const verdictWidth = 16;
  const table = reportTable(["scenario", "signatures seen", "verdict"], {
    colWidths: [nameWidth, width - nameWidth - verdictWidth - 4, verdictWidth],
    wordWrap: false,
    // one line per scenario: no rule between the rows
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  for (const s of scenarios) table.push([s.name, signaturesLine(s), VERDICT_COLOUR[s.verdict](s.verdict)]);
  const showed = scenarios.flatMap((s) => {
    const head = s.name.padEnd(nameWidth);
    return [
      chalk.bold(head) + cut(showedText(s), width - head.length),
      ...notRealNotes(s).flatMap((n) => wrapText(n, width, " ".repeat(nameWidth), " ".repeat(nameWidth + 2))),
    ];
  });
  return [table.toString(), showed.join("\n")];
}
