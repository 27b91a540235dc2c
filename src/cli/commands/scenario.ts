import type { Command } from "commander";
import { wrapText } from "../../report/scenario-layout.js";
import { SCENARIO_CATALOGUE } from "../../scenarios/catalogue.js";
import type { RawScenarioOptions } from "../../scenarios/scenario-options.js";
import type { ScenarioDefinition } from "../../scenarios/types.js";
import { withOutputOptions } from "../output-options.js";
import { withProfileOptions } from "../profile-options.js";
import { withLinkOptions } from "../scenario-link-options.js";

const NAME_WIDTH = Math.max(...SCENARIO_CATALOGUE.map((e) => e.name.length)) + 2;

/** Catalogue lines as --help lists them: one scenario a line (wrapped), its name and description. */
const scenarioList = (names: readonly string[]) =>
  SCENARIO_CATALOGUE.filter((e) => names.includes(e.name))
    .flatMap((e) =>
      wrapText(e.description, 110, `  ${e.name.padEnd(NAME_WIDTH)}`, " ".repeat(NAME_WIDTH + 2)),
    )
    .join("\n");

/** `scenario --help` lists every scenario; `scenario <names> --help` only those (with their own options above). */
const scenariosHelp = (named: readonly string[]) =>
  named.length > 0
    ? `\n${named.length > 1 ? "Scenarios" : "Scenario"}:\n${scenarioList(named)}\n`
    : `\nScenarios (default: all; \`mqdiag scenario <name> --help\` lists its own options):\n${scenarioList(SCENARIO_CATALOGUE.map((e) => e.name))}\n`;

const EXAMPLES = `
Examples:
  mqdiag scenario                                   every scenario, embedded NanoMQ-profile broker
  mqdiag scenario late-ping --keepalive 60          where NanoMQ kicks a late pinger (80–90 s after its PINGREQ)
  mqdiag scenario late-ping --profile spec          the spec's 1.5 × keepalive
  mqdiag scenario malformed-packet --malformed all  every malformed variant and its rv
  mqdiag scenario keepalive-budget --keepalive 30 --keepalive-multiplier 1.5
  mqdiag scenario tcp-rst late-ping --broker mqtt://127.0.0.1:1883 --broker-log /var/log/mosquitto/mosquitto.log
                                                    (the log tells mosquitto or NanoMQ and its era; --profile overrides)
  mqdiag scenario all --details                     every check and timeline, not only the failures
  mqdiag scenario all --format junit --output scenarios.xml

Exit status: 0 every scenario reproduced · 1 one did not · 2 usage · 3 external broker unreachable.`;

/**
 * `mqdiag scenario [names...]` (issue 3): run fault scenarios and report which signatures they trigger. The
 * common options are registered here; each scenario's own options come from its definition, loaded (from the
 * catalogue) just before the command's arguments are parsed: every scenario's for a run, the named ones' for
 * --help (src/cli/scenario-own-options.ts). `mqdiag scenario --help` loads none.
 */
export function registerScenario(program: Command): void {
  const cmd = program
    .command("scenario")
    .description("reproduce a fault with a synthetic client and report the broker log signatures it triggers")
    .argument("[names...]", "scenarios to run, or all")
    .option("--keepalive <s>", "keepalive of the scenario's clients, seconds", "10")
    .option(
      "--clients <n>",
      "clients of the scenario's behaviour (besides the control client; default 1, reconnect-storm 100)",
    )
    .option(
      "--details",
      "table: every scenario's checks and timeline (default: only those that did not reproduce)",
    );
  withProfileOptions(cmd)
    .option(
      "--time-scale <n|auto>",
      "scenario seconds per wall second, fixed (default auto: event-driven, real speed while anything happens and a jump to the next timer while nothing does)",
    )
    .option("--broker <url>", "run against an external broker (mqtt://host:port), at real time")
    .option("--broker-log <file>", "the external broker's log, tailed during the run");
  withLinkOptions(withOutputOptions(cmd));
  let definitions: ScenarioDefinition<unknown>[] = [];
  cmd.addHelpText("after", () => scenariosHelp(definitions.map((d) => d.name)) + EXAMPLES);
  program.hook("preSubcommand", async (_program, sub) => {
    if (sub !== cmd) return;
    const { scenariosFor, withScenarioOptions } = await import("../scenario-own-options.js");
    definitions = await scenariosFor(program.args);
    withScenarioOptions(cmd, definitions);
  });
  cmd.action(async (names: string[], raw: RawScenarioOptions) => {
    const { runScenarioCommand } = await import("./scenario-run.js");
    // Without --profile, an external broker's log decides the dialect and NanoMQ era.
    const detectProfile = cmd.getOptionValueSource("profile") === "default";
    // Without --retry-interval / --keepalive-multiplier, an external NanoMQ's log at info gives its own Q and M.
    const settingsFromLog = {
      retryInterval: cmd.getOptionValueSource("retryInterval") === "default",
      multiplier: cmd.getOptionValueSource("keepaliveMultiplier") === "default",
    };
    process.exitCode = await runScenarioCommand(names, raw, detectProfile, definitions, settingsFromLog);
  });
}
