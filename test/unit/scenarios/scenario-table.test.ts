import chalk from "chalk";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import { newRecord } from "../../../src/fleet/types.js";
import { testcaseName } from "../../../src/report/scenario-junit.js";
import { reportWidth, wrapText } from "../../../src/report/scenario-layout.js";
import { scenarioTable } from "../../../src/report/scenario-table.js";
import { SCENARIO_CATALOGUE } from "../../../src/scenarios/catalogue.js";
import { signatureChecks } from "../../../src/scenarios/expectations.js";
import { budgetOutcome } from "../../../src/scenarios/keepalive-budget.js";
import {
  DEFAULT_SCENARIO_OPTIONS,
  type ObservedSignature,
  type ScenarioResult,
  type ScenarioRun,
} from "../../../src/scenarios/types.js";

const SCENARIOS = await Promise.all(SCENARIO_CATALOGUE.map((e) => e.load()));

/** A run shaped like `--malformed all --clients 50`: long client ids, many clients and lines per scenario. */
function bigRun(): ScenarioRun {
  const variant = "publish-qos1-packet-id-0";
  const clients = Array.from({ length: 50 }, (_, i) => {
    const r = newRecord(`mqdiag-malformed-packet-${variant}-${i + 1}`, "malformed", 10);
    r.notes.variant = variant;
    Object.assign(r, {
      connectedAt: 10,
      lastSentAt: 20,
      closedAt: 30 + i,
      closedBy: "broker",
      closeKind: "DISCONNECT",
      reasonCode: 0x82,
    });
    r.events.push({ at: 20, dir: "out", packet: variant });
    return r;
  });
  const control = newRecord("mqdiag-malformed-packet-control", "healthy", 10, true);
  const signatures = clients.flatMap((c): ObservedSignature[] => [
    { id: "rejected-publish" as const, at: 25, clientId: c.clientId, line: "x".repeat(150), detail: {} },
    {
      id: "recv-error" as const,
      at: 26,
      clientId: c.clientId,
      line: "",
      detail: { reason: "Object closed" },
    },
  ]);
  const scenario: ScenarioResult = {
    name: "malformed-packet",
    verdict: "not-reproduced",
    expected: ["rejected-publish", "recv-error", "parse-error"],
    signatures,
    clients: [control, ...clients],
    checks: [
      {
        code: "kick-in-window",
        ok: false,
        essential: false,
        args: {
          clientId: clients[0]?.clientId ?? "",
          kicked: true,
          delayS: 85.123,
          sinceConnectS: 145.2,
          predictedFromS: 145,
          predictedToS: 145,
          windowMinS: 80,
          windowMaxS: 90,
          toleranceS: 1.22,
        },
      },
      {
        code: "signature-seen",
        ok: false,
        essential: true,
        args: { id: "parse-error", rv: 139, atMs: null, clientId: null },
      },
    ],
    trace: [],
    brokerObserved: true,
    timeScale: 50,
    durationMs: 4000,
    wallMs: 1000,
    explanation: "malformed-line-then-rv",
    outcome: budgetOutcome.wrap({
      keepaliveMs: 10_000,
      largestSafeMs: 20_000,
      smallestKickedMs: 30_000,
      sweep: [5, 7.5, 10, 20, 22.5, 25, 30].map((s) => ({
        intervalMs: s * 1000,
        outcome:
          s <= 20 ? ("survives" as const) : s < 30 ? ("depends-on-phase" as const) : ("kicked" as const),
      })),
    }),
  };
  return {
    target: {
      kind: "external",
      url: "mqtt://broker.example.internal:1883",
      profile: DEFAULT_PROFILE_OPTIONS,
      timeScale: "auto",
    },
    scenarios: [scenario, { ...scenario, name: "keepalive-budget", verdict: "reproduced" }],
  };
}

describe("the scenario table report fits the terminal", () => {
  beforeAll(() => {
    chalk.level = 0;
  });

  it.each([72, 80, 100, 120])(
    "every line of a --clients 50 --malformed all report fits %i columns",
    (width) => {
      const lines = scenarioTable(bigRun(), width).split("\n");
      const widest = Math.max(...lines.map((l) => [...l].length));
      expect(widest).toBeLessThanOrEqual(width);
      expect(widest).toBeGreaterThan(width - 10);
    },
  );

  it("groups clients and signatures: one line per distinct outcome, with a count", () => {
    const text = scenarioTable(bigRun(), 120);
    expect(text).toContain("×50");
    expect(text.split("\n").length).toBeLessThan(150);
  });

  it("the width follows the terminal within 72–120 columns, 100 when unknown", () => {
    expect([reportWidth(undefined), reportWidth(40), reportWidth(90), reportWidth(300)]).toEqual([
      100, 72, 90, 120,
    ]);
  });

  it("wrapText: hanging indent, no line past the width unless one word is longer", () => {
    expect(wrapText("aa bb cc dd", 8, "- ", "  ")).toEqual(["- aa bb", "  cc dd"]);
    expect(wrapText("a-very-long-word b", 6)).toEqual(["a-very-long-word", "b"]);
  });
});

describe("JUnit testcase names", () => {
  const def = SCENARIOS.find((s) => s.name === "malformed-packet");
  const expectation = def?.expected(
    DEFAULT_PROFILE_OPTIONS,
    { ...DEFAULT_SCENARIO_OPTIONS, malformed: "all" },
    false,
  );
  it("are unique in a scenario and the same whether the check passed or failed", () => {
    const e = expectation ?? { seen: [], absent: [] };
    const failing = signatureChecks(e, []).map(testcaseName);
    const lines: ObservedSignature[] = e.seen.map((x) => ({
      id: Array.isArray(x.id) ? (x.id[0] as ObservedSignature["id"]) : x.id,
      at: 1,
      clientId: `${x.clientPrefix ?? "mqdiag-malformed-packet-x-"}1`,
      line: "",
      detail: x.detail ?? {},
    }));
    const passing = signatureChecks(e, lines);
    expect(passing.filter((c) => c.code === "signature-seen").every((c) => c.ok)).toBe(true);
    expect(passing.map(testcaseName)).toEqual(failing);
    expect(new Set(failing).size).toBe(failing.length);
  });
});
