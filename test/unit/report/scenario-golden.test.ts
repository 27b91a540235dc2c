import { readFileSync } from "node:fs";
import chalk from "chalk";
import { beforeAll, describe, expect, it } from "vitest";
import { scenarioJson } from "../../../src/report/scenario-json.js";
import { scenarioJunit } from "../../../src/report/scenario-junit.js";
import { scenarioTable } from "../../../src/report/scenario-table.js";
import { loadScenario } from "../../../src/scenarios/load-scenario.js";
import type { ScenarioResult, ScenarioRun } from "../../../src/scenarios/types.js";

/**
 * The three reports, byte for byte, of one recorded run of every scenario that reports an outcome (and tcp-rst,
 * which reports none): test/fixtures/scenario-golden/run.json holds the run (its trace, events and lines trimmed),
 * each scenario's outcome value as `outcome`; the *.golden files are what the reporters printed for it before the
 * scenarios declared themselves (commit cbbf3fd, when each family had its own result field and report code);
 * table.golden is the table with --details since the glance view became the default (issue 17).
 * Here each outcome is bound to its words by its own definition, as the runner does.
 */
const dir = new URL("../../fixtures/scenario-golden/", import.meta.url);
const golden = (name: string) => readFileSync(new URL(name, dir), "utf8");

interface RecordedScenario extends Omit<ScenarioResult, "outcome"> {
  outcome?: unknown;
}

async function recordedRun(): Promise<ScenarioRun> {
  const recorded = JSON.parse(golden("run.json")) as {
    target: ScenarioRun["target"];
    scenarios: RecordedScenario[];
  };
  const scenarios = await Promise.all(
    recorded.scenarios.map(async ({ outcome, ...s }): Promise<ScenarioResult> => {
      const bound = outcome === undefined ? undefined : (await loadScenario(s.name)).outcome?.wrap(outcome);
      return { ...s, ...(bound ? { outcome: bound } : {}) };
    }),
  );
  return { target: recorded.target, scenarios };
}

describe("scenario reports: unchanged, byte for byte, for every kind of outcome", () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    chalk.level = 0;
    run = await recordedRun();
  });

  it("binds every recorded outcome to its scenario's words", () => {
    expect(run.scenarios.map((s) => [s.name, s.outcome !== undefined])).toEqual([
      ["tcp-rst", false],
      ["keepalive-budget", true],
      ["network-stall", true],
      ["half-open", true],
      ["high-latency", true],
      ["session-resume", true],
      ["reconnect-storm", true],
    ]);
  });

  it("--format json", () => {
    expect(scenarioJson(run)).toBe(golden("json.golden"));
  });

  it("the table with --details, 100 columns", () => {
    expect(scenarioTable(run, 100, true)).toBe(golden("table.golden"));
  });

  it("the table at a glance (issue 17: the default), 100 columns: a line per scenario in the table and below", () => {
    expect(scenarioTable(run, 100)).toBe(golden("table-glance.golden"));
  });

  it("--format junit", () => {
    expect(scenarioJunit(run)).toBe(golden("junit.golden"));
  });
});
