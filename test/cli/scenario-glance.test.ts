import { describe, expect, it } from "vitest";
import { SCENARIO_NAMES } from "../../src/scenarios/catalogue.js";
import { runCli } from "../helpers/cli.js";

/** Issue 17, part 2: an all-green `mqdiag scenario` fits one screen; a failure still shows its checks. */
describe("mqdiag scenario: a report that fits a glance", () => {
  it("all, all green, in a 100-column terminal: ≤ 60 lines, one table line and one 'showed' line per scenario", async () => {
    const r = await runCli(["scenario", "all"], { env: { COLUMNS: "100" }, timeoutMs: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.length).toBeLessThanOrEqual(60);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    for (const name of SCENARIO_NAMES) {
      // its table row, and its line saying what it showed
      expect(lines.filter((l) => l.startsWith(`│ ${name} `) && l.includes("reproduced"))).toHaveLength(1);
      expect(lines.filter((l) => l.startsWith(`${name} `))).toHaveLength(1);
    }
    // no checks, no timelines
    expect(r.stdout).not.toMatch(/^ {2}✓ /m);
    expect(r.stdout).not.toContain(" broker  tick ");
  });

  it("a scenario that did not reproduce prints its checks and timeline; --details prints them for all", async () => {
    // --ping-at 1.1: the late ping comes inside the broker's window, so the kick never comes (deterministic)
    const failed = await runCli(["scenario", "late-ping", "tcp-rst", "--ping-at", "1.1"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^late-ping +mqdiag-late-ping-1 was not kicked/m);
    expect(failed.stdout).toMatch(/^late-ping \((×|event-driven)/m);
    expect(failed.stdout).toMatch(/^ {2}✗ mqdiag-late-ping-1 was not kicked/m);
    expect(failed.stdout).toMatch(/^ {2}✗ keepalive-timeout expected but not seen/m);
    expect(failed.stdout).toMatch(/ client {2}mqdiag-late-ping-1 → pingreq/);
    // the one that reproduced keeps to its line
    expect(failed.stdout).not.toMatch(/^tcp-rst \((×|event-driven)/m);

    const details = await runCli(["scenario", "tcp-rst", "--details"]);
    expect(details.code).toBe(0);
    expect(details.stdout).toMatch(/^tcp-rst \((×|event-driven)/m);
    expect(details.stdout).toMatch(/^ {2}✓ recv-error \(Connection shutdown\) seen at/m);
    expect(details.stdout).toContain("what the clients saw");
  });
});
