import chalk from "chalk";
import { fixedSeconds, formatSeconds } from "../core/seconds.js";
import type { ClientRecord } from "../fleet/types.js";
import type { ObservedSignature, ScenarioResult, ScenarioRun } from "../scenarios/types.js";
import { closedText } from "./close-words.js";
import { groupBy } from "./group-by.js";
import { detectionText } from "./scenario-detection.js";
import { glanceLines, VERDICT_COLOUR } from "./scenario-glance.js";
import { secondsRange, wrapText } from "./scenario-layout.js";
import { checkText, skipText } from "./scenario-messages.js";
import { reportTable } from "./table.js";
import { tickFaultLines } from "./tick-fault-note.js";
import { timelineText } from "./timeline.js";

function signatureLabel(g: ObservedSignature): string {
  if (g.detail.rv !== undefined) return `${g.id} rv ${g.detail.rv}`;
  if (g.detail.reason !== undefined) return `${g.id} (${g.detail.reason})`;
  return g.id;
}

/** One line per distinct signature (and detail): its first scenario time, and how often with --clients N. */
function signaturesCell(s: ScenarioResult): string {
  if (s.verdict === "skipped") return chalk.dim("not run against this broker");
  if (!s.brokerObserved) return chalk.dim("broker side not observed (no --broker-log)");
  if (s.signatures.length === 0) return chalk.dim("none");
  return groupBy(s.signatures, signatureLabel)
    .map((group) => {
      const [first] = group;
      const times = group.map((g) => g.at);
      const count = group.length > 1 ? ` ×${group.length}` : "";
      return `${secondsRange(Math.min(...times), Math.max(...times))} s ${signatureLabel(first)}${count}`;
    })
    .join("\n");
}

/** A client's part in its scenario: the malformed variant it sent, or its behaviour (feeder, second-connection…). */
const role = (r: ClientRecord) => String(r.notes.variant ?? r.behaviour);

function outcome(r: ClientRecord): string {
  if (r.closedAt === null) return "still open";
  return closedText(r);
}

/** The non-control clients, grouped by role and outcome: `late-ping ×50: closed by broker (FIN) at 35.0–35.2 s`. */
function clientsCell(s: ScenarioResult): string {
  const subjects = s.clients.filter((c) => !c.control);
  return groupBy(subjects, (r) => `${role(r)}\t${outcome(r)}`)
    .map((group) => {
      const [first] = group;
      const count = group.length > 1 ? ` ×${group.length}` : "";
      const closed = group.map((r) => r.closedAt).filter((t): t is number => t !== null);
      const at = closed.length > 0 ? ` at ${secondsRange(Math.min(...closed), Math.max(...closed))} s` : "";
      return `${role(first)}${count}: ${outcome(first)}${at}`;
    })
    .join("\n");
}

function section(s: ScenarioResult, width: number): string {
  if (s.verdict === "skipped") {
    const why = skipText(s.skipReason);
    return [chalk.bold(s.name) + chalk.dim(" (skipped)"), ...wrapText(why, width, "  ", "  ")].join("\n");
  }
  const lines = [
    chalk.bold(s.name) +
      chalk.dim(
        ` (${s.eventTime ? "event-driven" : `×${s.timeScale}`}, ${fixedSeconds(s.durationMs)} scenario s in ${formatSeconds(s.wallMs)})`,
      ),
  ];
  for (const c of s.checks) {
    const [head = "", ...more] = wrapText(checkText(c), width, "    ", "    ");
    lines.push(`  ${c.ok ? chalk.green("✓") : chalk.red("✗")} ${head.slice(4)}`, ...more);
  }
  lines.push(...(s.outcome?.lines(s, width) ?? []));
  lines.push(timelineText(s, width));
  lines.push(...wrapText(s.explanation, width, "  ", "  ").map((l) => chalk.dim(l)));
  return lines.join("\n");
}

/** A scenario whose checks and timeline the glance view prints too: it did not reproduce, or was unexpected. */
const needsDetail = (s: ScenarioResult) => s.verdict === "not-reproduced" || s.verdict === "unexpected";

/**
 * The table report, `width` columns wide (the CLI passes the terminal's, 72–120). At a glance (the default): one
 * table line per scenario and one line saying what each showed, then the checks, timeline and explanation of
 * each scenario that did not reproduce. With `details` (--details): one full row per scenario (signatures and
 * what the clients saw), then every scenario's checks, timeline and explanation.
 */
export function scenarioTable(run: ScenarioRun, width = 100, details = false): string {
  const p = run.target.profile;
  const head = wrapText(
    `${run.target.kind} broker${run.target.url ? ` ${run.target.url}` : ""} · profile ${p.profile} · retry interval ${p.retryIntervalMs / 1000} s · keepalive multiplier ${p.keepaliveMultiplier} · time scale ${run.target.timeScale}`,
    width,
    "",
    "  ",
  ).join("\n");
  const detection = detectionText(run);
  const header = detection ? `${head}\n${wrapText(detection, width, "", "  ").join("\n")}` : head;
  if (!details) {
    const sections = run.scenarios.filter(needsDetail).map((s) => section(s, width));
    return [header, ...tickFaultLines(run, width), ...glanceLines(run.scenarios, width), ...sections].join(
      "\n\n",
    );
  }
  const nameWidth = Math.max(10, ...run.scenarios.map((s) => s.name.length)) + 2;
  const verdictWidth = 16;
  const rest = width - nameWidth - verdictWidth - 5;
  const signaturesWidth = Math.floor(rest * 0.55);
  const table = reportTable(["scenario", "signatures seen", "what the clients saw", "verdict"], {
    colWidths: [nameWidth, signaturesWidth, rest - signaturesWidth, verdictWidth],
    wordWrap: true,
  });
  for (const s of run.scenarios) {
    table.push([s.name, signaturesCell(s), clientsCell(s), VERDICT_COLOUR[s.verdict](s.verdict)]);
  }
  const sections = run.scenarios.map((s) => section(s, width));
  return [header, ...tickFaultLines(run, width), table.toString(), ...sections].join("\n\n");
}
