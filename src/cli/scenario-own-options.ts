import type { Command } from "commander";
import { SCENARIO_CATALOGUE } from "../scenarios/catalogue.js";
import type { OptionSpec, ScenarioDefinition } from "../scenarios/types.js";

/**
 * Which scenarios' own options `mqdiag scenario` takes this time, from its arguments: a run takes every
 * scenario's (as `all` does; an option of a scenario not named is accepted and unused), so all are loaded;
 * `--help` shows only the named scenarios' (none when none is named: the catalogue's light list says the rest).
 */
export async function scenariosFor(args: readonly string[]): Promise<ScenarioDefinition<unknown>[]> {
  const help = args.includes("--help") || args.includes("-h");
  const named = args.includes("all")
    ? SCENARIO_CATALOGUE
    : SCENARIO_CATALOGUE.filter((e) => args.includes(e.name));
  return Promise.all((help ? named : SCENARIO_CATALOGUE).map((e) => e.load()));
}

/** Adds each scenario's own options to the command, under a heading naming the scenarios that take them. */
export function withScenarioOptions(
  cmd: Command,
  definitions: readonly ScenarioDefinition<unknown>[],
): Command {
  // per option, the scenarios that take it: a set may reuse another set's specs (reconnect-storm's)
  const specs = new Map<OptionSpec, string[]>();
  for (const d of definitions)
    for (const spec of d.options?.specs ?? []) specs.set(spec, [...(specs.get(spec) ?? []), d.name]);
  for (const [spec, names] of specs) {
    const option = cmd.createOption(spec.flags, spec.description);
    if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
    cmd.addOption(option.helpGroup(`${names.join(", ")} options:`));
  }
  return cmd;
}
