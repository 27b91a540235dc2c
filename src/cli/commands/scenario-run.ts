import { scenarioJson } from "../../report/scenario-json.js";
import { scenarioJunit } from "../../report/scenario-junit.js";
import { scenarioTable } from "../../report/scenario-table.js";
import { runScenarios } from "../../scenarios/run-scenarios.js";
import { parseScenarioCommand, type RawScenarioOptions } from "../../scenarios/scenario-options.js";
import type { ScenarioDefinition } from "../../scenarios/types.js";
import { outputOptions, reportColumns, writeReport } from "../output.js";
import { withStatusLine } from "../status.js";

/** `mqdiag scenario`'s action, imported only when that command runs (it loads the broker and the fleet). */
export async function runScenarioCommand(
  names: string[],
  raw: RawScenarioOptions,
  detectProfile: boolean,
  /** Every scenario's definition (their own options are checked whichever scenarios run). */
  definitions: readonly ScenarioDefinition<unknown>[],
  /** Which of Q and M no option set (an external NanoMQ's log may give them). */
  settingsFromLog?: { retryInterval: boolean; multiplier: boolean },
): Promise<number> {
  const output = outputOptions(raw as Parameters<typeof outputOptions>[0]);
  const parsed = parseScenarioCommand(names, raw, definitions);
  const run = await withStatusLine((update) =>
    runScenarios({ ...parsed, detectProfile, settingsFromLog, onStatus: update }),
  );
  const text =
    output.format === "json"
      ? scenarioJson(run)
      : output.format === "junit"
        ? scenarioJunit(run)
        : scenarioTable(run, Math.min(120, reportColumns(output)), raw.details === true);
  await writeReport(text, output);
  // Skipped scenarios (not runnable against this target) neither pass nor fail the run.
  return run.scenarios.every((s) => s.verdict === "reproduced" || s.verdict === "skipped") ? 0 : 1;
}
