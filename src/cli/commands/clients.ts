import type { Command } from "commander";
import { CLIENT_LIBRARY_IDS } from "../../keepalive/clients/types.js";
import { withOutputOptions } from "../output-options.js";
import { withProfileOptions } from "../profile-options.js";

export const FORMATS = ["table", "json", "junit"] as const;

const EXAMPLES = `
Examples:
  mqdiag clients                                        every library, KA 60 s, NanoMQ Q 10 s M 1.25
  mqdiag clients --config /etc/nanomq.conf --keepalive 30 --latency 200ms
  mqdiag clients --library mqtt-c --keepalive 3 --loop-interval 1.5s --retry-interval 1 --keepalive-multiplier 1.25
  mqdiag clients --profile mosquitto --keepalive 5 --format json --output clients.json

Each row: an idle client of that library (it sends nothing but its PINGREQs) on a link of --latency each way.
ping gap = between its PINGREQs as sent; gives up = after a PINGREQ left unanswered (never: it waits forever);
kicked at = when this broker kicks it, after its CONNECT; first = who ends the connection first (nobody, broker,
client, tie); margin = how close that is (see docs/commands/clients.md). "~" = depends on where the client's clock or
loop and the broker's ticks or sweeps fall. source: measured (side by side with the real library), model (read
from its source), model† (from source only: it does not run here).
Exit status: 0 every library survives · 1 some library's connection ends (or may, depending on phase) · 2 bad
option, unknown library or unreadable --config.`;

export function registerClients(program: Command): void {
  const cmd = program
    .command("clients")
    .description("which MQTT client libraries survive this broker: ping gap, give-up, kick, who acts first")
    .option(
      "--config <nanomq.conf>",
      "take Q and M from a NanoMQ config file instead of the profile options",
    );
  withProfileOptions(cmd)
    .option("--keepalive <seconds>", "the clients' keepalive, whole seconds", "60")
    .option("--latency <duration>", "one-way network latency, each direction (300ms, 2s)", "0")
    .option(
      "--loop-interval <duration>",
      "how often the application drives a library that needs it (mqtt_sync, loop(), ProcessLoop)",
      "100ms",
    )
    .option("--library <id...>", `only these libraries: ${CLIENT_LIBRARY_IDS.join(", ")}`)
    .addHelpText("after", EXAMPLES);
  withOutputOptions(cmd, FORMATS).action(async (raw: Record<string, unknown>, command: Command) => {
    const { runClients } = await import("./clients-run.js");
    process.exitCode = await runClients(raw, (name) => command.getOptionValueSource(name) === "cli");
  });
}
