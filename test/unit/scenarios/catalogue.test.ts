import { describe, expect, it } from "vitest";
import { SCENARIO_CATALOGUE, SCENARIO_NAMES } from "../../../src/scenarios/catalogue.js";
import { loadScenario, resolveScenarioNames } from "../../../src/scenarios/load-scenario.js";

describe("the scenario catalogue", () => {
  it("each line loads the scenario of its name; names are unique and in the order `all` runs", async () => {
    const loaded = await Promise.all(SCENARIO_CATALOGUE.map((e) => e.load()));
    expect(loaded.map((d) => d.name)).toEqual(SCENARIO_CATALOGUE.map((e) => e.name));
    expect(new Set(SCENARIO_NAMES).size).toBe(SCENARIO_NAMES.length);
    expect(resolveScenarioNames([])).toEqual([...SCENARIO_NAMES]);
    expect(resolveScenarioNames(["tcp-rst", "late-ping", "tcp-rst"])).toEqual(["tcp-rst", "late-ping"]);
  });

  it("every description is one line", () => {
    for (const e of SCENARIO_CATALOGUE) {
      expect(e.description, e.name).not.toContain("\n");
      expect(e.description.length, e.name).toBeGreaterThan(20);
    }
  });

  it("an unknown name is a usage error naming the choices", async () => {
    await expect(loadScenario("late-pong")).rejects.toThrow(
      /unknown scenario "late-pong" \(choose late-ping, /,
    );
    expect(() => resolveScenarioNames(["late-pong"])).toThrow(/unknown scenario "late-pong"/);
  });

  it("an option's flags are declared once across every scenario (a set may reuse another's spec objects)", async () => {
    const loaded = await Promise.all(SCENARIO_CATALOGUE.map((e) => e.load()));
    const specs = [...new Set(loaded.flatMap((d) => d.options?.specs ?? []))];
    const flags = specs.map((o) => o.flags.split(" ")[0]);
    expect(new Set(flags).size).toBe(flags.length);
  });
});
