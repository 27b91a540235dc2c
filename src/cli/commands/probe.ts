import type { Command } from "commander";
import { CHECK_IDS } from "../../probe/check-ids.js";
import type { RawProbeOptions } from "../../probe/probe-options.js";
import { withOutputOptions } from "../output-options.js";

const EXAMPLES = `
Examples:
  mqdiag probe localhost:1883                      every check, at a glance: one line each, the keepalive model
  mqdiag probe localhost:1883 --details            also each check's spec reference, every kick and the chart
  mqdiag probe mqtts://broker.example:8883 --ca ca.pem --username app
  MQDIAG_PASSWORD=secret mqdiag probe broker:1883 --username app --checks connect,keepalive
  mqdiag probe ws://127.0.0.1:8080/mqtt --keepalive-samples 2,5,10 --max-wait 30s
  mqdiag probe $BROKER --quick --format junit --output mqdiag.xml   # CI smoke check
  mqdiag probe $BROKER --quick --save-baseline broker.baseline.json  # record what the broker does, once
  mqdiag probe $BROKER --quick --baseline broker.baseline.json       # CI: exit 1 only on drift
  mqdiag probe nanomq:1883 --checks connect,keepalive --keepalive 60  # when is MY keepalive-60 client kicked?

Exit status: 0 pass · 1 a finding at or above --fail-on (with --baseline: drift) · 2 usage · 3 unreachable or
inconclusive.`;

/** `mqdiag probe <broker>`: black-box checks against a deployed broker (issue 4). */
export function registerProbe(program: Command): void {
  const cmd = program
    .command("probe")
    .description(
      "measure how a broker treats clients: keepalive kicks, malformed packets, wills, retain, takeover",
    )
    .argument("<broker>", "host:port, host, [v6]:port, or an mqtt:// mqtts:// ws:// wss:// URL")
    .addOption(
      program.createOption("--mqtt-version <version>", "3.1.1 or 5 (default: try 5, fall back to 3.1.1)"),
    )
    .option("--username <name>", "user name for CONNECT (never printed)")
    .option("--password <password>", "password for CONNECT (never printed; or set MQDIAG_PASSWORD)")
    .option("--client-id-prefix <prefix>", "client id prefix", "mqdiag-")
    .option("--ca <file>", "CA certificate (PEM) for mqtts:// and wss://")
    .option("--insecure", "TLS without certificate verification (said loudly in the report)")
    .option("--timeout <duration>", "bound on each connection step", "5s")
    .option("--max-wait <duration>", "bound on waiting for a keepalive kick", "60s")
    .option("--keepalive-samples <list>", "keepalive values (s) of the silent sessions", "1,2,4")
    .option("--keepalive-sessions <n>", "silent sessions per keepalive value", "3")
    .option(
      "--keepalive <s>",
      "when will a client with this keepalive be kicked? answered from the fitted model",
    )
    .option("--pings <n>", "PINGREQ round trips to time", "10")
    .option("--checks <list>", `checks to run: ${CHECK_IDS.join(",")}`)
    .option("--quick", "CI smoke subset: no will, keepalive 1 s with two sessions (~30 s)")
    .option("--deep", "send every malformed variant, not just two")
    .option("--prefix <topic>", "topic prefix for retained/will messages", "mqdiag/probe")
    .option(
      "--save-baseline <file>",
      "record the measured behaviour (keepalive model, each check) to compare later",
    )
    .option(
      "--baseline <file>",
      "compare with a saved baseline: exit 1 only on drift, known deviations reported",
    )
    .option(
      "--details",
      "table: each check's spec reference, the keepalive sessions' kicks, plan and chart (default: a glance)",
    )
    .addOption(
      program
        .createOption("--fail-on <level>", "exit 1 on findings at or above")
        .choices(["warn", "error"])
        .default("error"),
    )
    .addHelpText("after", EXAMPLES);
  withOutputOptions(cmd).action(async (broker: string, raw: RawProbeOptions & Record<string, unknown>) => {
    const { runProbeCommand } = await import("./probe-run.js");
    process.exitCode = await runProbeCommand(broker, raw, (name) => cmd.getOptionValueSource(name) === "cli");
  });
}
