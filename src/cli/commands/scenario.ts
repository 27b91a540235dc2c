import type { Command } from "commander";
import { SCENARIO_NAMES } from "../../scenarios/catalogue.js";
import type { RawScenarioOptions } from "../../scenarios/scenario-options.js";
import { withOutputOptions } from "../output-options.js";
import { withProfileOptions } from "../profile-options.js";
import { withNetworkScenarioOptions } from "../scenario-network-options.js";
import { withSessionScenarioOptions } from "../scenario-session-options.js";

const EXAMPLES = `
Scenarios: ${SCENARIO_NAMES.join(", ")} (default: all)

Examples:
  mqdiag scenario                                   every scenario, embedded NanoMQ-profile broker
  mqdiag scenario late-ping --keepalive 60          where NanoMQ kicks a late pinger (80–90 s after its PINGREQ)
  mqdiag scenario late-ping --profile spec          the spec's 1.5 × keepalive
  mqdiag scenario malformed-packet --malformed all  every malformed variant and its rv
  mqdiag scenario keepalive-budget --keepalive 30 --keepalive-multiplier 1.5
  mqdiag scenario tcp-rst late-ping --broker mqtt://127.0.0.1:1883 --broker-log /var/log/mosquitto/mosquitto.log
                                                    (the log tells mosquitto or NanoMQ and its era; --profile overrides)
  mqdiag scenario all --format junit --output scenarios.xml

Exit status: 0 every scenario reproduced · 1 one did not · 2 usage · 3 external broker unreachable.`;

/** `mqdiag scenario [names...]` (issue 3): run fault scenarios and report which signatures they trigger. */
export function registerScenario(program: Command): void {
  const cmd = program
    .command("scenario")
    .description("reproduce a fault with a synthetic client and report the broker log signatures it triggers")
    .argument("[names...]", "scenarios to run, or all")
    .option("--keepalive <s>", "keepalive of the scenario's clients, seconds", "10")
    .option(
      "--ping-at <multiple>",
      "late-ping: late PINGREQ at this multiple of keepalive, or never (default: past the kick window)",
    )
    .option("--malformed <variant>", "malformed-packet: variant name, or all", "remaining-length-overflow")
    .option("--clients <n>", "clients of the scenario's behaviour (besides the control client)", "1");
  withProfileOptions(cmd)
    .option("--time-scale <n|auto>", "scenario seconds per wall second (auto: a few seconds per scenario)")
    .option("--broker <url>", "run against an external broker (mqtt://host:port), at real time")
    .option("--broker-log <file>", "the external broker's log, tailed during the run")
    .addHelpText("after", EXAMPLES);
  withSessionScenarioOptions(withNetworkScenarioOptions(cmd));
  withOutputOptions(cmd).action(
    async (names: string[], raw: RawScenarioOptions & Record<string, unknown>) => {
      const { runScenarioCommand } = await import("./scenario-run.js");
      // Without --profile, an external broker's log decides the dialect and NanoMQ era.
      const detectProfile = cmd.getOptionValueSource("profile") === "default";
      process.exitCode = await runScenarioCommand(names, raw, detectProfile);
    },
  );
}
