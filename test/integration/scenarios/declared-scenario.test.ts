import chalk from "chalk";
import { Command } from "commander";
import { beforeAll, describe, expect, it } from "vitest";
import { withScenarioOptions } from "../../../src/cli/scenario-own-options.js";
import { parseDuration } from "../../../src/core/duration.js";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import { scenarioJson } from "../../../src/report/scenario-json.js";
import { scenarioJunit } from "../../../src/report/scenario-junit.js";
import { scenarioTable } from "../../../src/report/scenario-table.js";
import { SCENARIO_CATALOGUE } from "../../../src/scenarios/catalogue.js";
import { embeddedTarget } from "../../../src/scenarios/embedded-target.js";
import { outcomeKind } from "../../../src/scenarios/outcome-kind.js";
import { runDefinition } from "../../../src/scenarios/runner.js";
import { parseScenarioCommand } from "../../../src/scenarios/scenario-options.js";
import type { ScenarioDefinition, ScenarioOptionSet, ScenarioRun } from "../../../src/scenarios/types.js";

/**
 * CONTRIBUTING.md, "Adding a scenario", checked: a scenario declared here alone — its options, its outcome and
 * its words — is parsed, shown in --help, run by the runner on the embedded broker and reported by the table, the
 * JSON and the JUnit reports, with no other file knowing of it (it only lacks its catalogue line, so the CLI does
 * not offer it).
 */
declare module "../../../src/scenarios/types.js" {
  interface ScenarioOptions {
    /** declared-example: how long its clients stay connected, clock ms. */
    exampleStayMs?: number;
  }
}

const stayOptions: ScenarioOptionSet = {
  specs: [
    { flags: "--example-stay <d>", description: "how long its clients stay connected", defaultValue: "3s" },
  ],
  parse: (raw) => ({ exampleStayMs: parseDuration(raw("exampleStay") ?? "3s", "--example-stay") }),
};

interface StayOutcome {
  stayedMs: number;
  open: string[];
}

const stayOutcome = outcomeKind<StayOutcome>({
  lines: (o, _result, width) => [`  ${o.open.length} open after ${o.stayedMs / 1000} s`.slice(0, width)],
  json: (o) => ({ stay: { stayed: o.stayedMs / 1000, open: o.open } }),
});

const declaredExample: ScenarioDefinition<StayOutcome> = {
  name: "declared-example",
  behaviours: ["healthy"],
  options: stayOptions,
  outcome: stayOutcome,
  explanation: "healthy clients that ping on time stay connected",
  expected: () => ({ seen: [], absent: ["keepalive-timeout"] }),
  durationMs: (_p, o) => (o.exampleStayMs ?? 3000) + 1000,
  async run(ctx) {
    const stayMs = ctx.options.exampleStayMs ?? 3000;
    const fleet = await ctx.startFleet({ behaviour: "healthy" });
    await ctx.waitUntil(() => ctx.clock.now() >= stayMs, stayMs, "the stay");
    const open = fleet.records().filter((r) => r.closedAt === null);
    for (const r of fleet.records())
      ctx.check({
        code: "survived",
        ok: r.closedAt === null,
        essential: true,
        args: { clientId: r.clientId, intervalS: ctx.options.keepaliveS, gaps: 0 },
      });
    ctx.report({ stayedMs: stayMs, open: open.map((r) => r.clientId) });
  },
};

describe("a scenario declared in its own file only", () => {
  const profile = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" as const };
  let run: ScenarioRun;
  beforeAll(async () => {
    chalk.level = 0;
    const all = await Promise.all(SCENARIO_CATALOGUE.map((e) => e.load()));
    const parsed = parseScenarioCommand(["tcp-rst"], { exampleStay: "4s", keepalive: "2", clients: "2" }, [
      ...all,
      declaredExample,
    ]);
    expect(parsed.options).toMatchObject({ exampleStayMs: 4000, keepaliveS: 2, clients: 2 });
    const result = await runDefinition(declaredExample, {
      profile,
      options: parsed.options,
      timeScale: 10,
      target: embeddedTarget(profile),
      external: false,
    });
    run = { target: { kind: "embedded", profile, timeScale: 10 }, scenarios: [result] };
  }, 30_000);

  it("its options are parsed (a bad value is a usage error) and shown under its own heading", () => {
    expect(() => parseScenarioCommand([], { exampleStay: "soon" }, [declaredExample])).toThrow(
      /--example-stay/,
    );
    const help = withScenarioOptions(new Command("scenario"), [declaredExample]).helpInformation();
    expect(help).toContain("declared-example options:");
    expect(help).toMatch(/--example-stay <d> +how long its clients stay connected \(default: "3s"\)/);
  });

  it("the runner runs it and keeps its outcome, typed", () => {
    const [s] = run.scenarios;
    expect(s?.verdict).toBe("reproduced");
    expect(stayOutcome.of(s)).toEqual({
      stayedMs: 4000,
      open: ["mqdiag-declared-example-healthy-1", "mqdiag-declared-example-healthy-2"],
    });
  });

  it("the table, the JSON and the JUnit reports word it from its definition", () => {
    const table = scenarioTable(run, 100, true);
    expect(table).toContain("  2 open after 4 s");
    expect(table).toContain("healthy clients that ping on time stay connected");
    const json = JSON.parse(scenarioJson(run)).scenarios[0];
    expect(json.stay).toEqual({
      stayed: 4,
      open: ["mqdiag-declared-example-healthy-1", "mqdiag-declared-example-healthy-2"],
    });
    const junit = scenarioJunit(run);
    expect(junit).toContain('<testsuite name="scenario declared-example"');
    expect(junit).toContain('name="survived clientId=mqdiag-declared-example-healthy-2"');
  });
});
