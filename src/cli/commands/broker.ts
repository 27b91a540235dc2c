import type { Command } from "commander";
import type { RawProfileOptions } from "../../core/options.js";
import { withProfileOptions } from "../profile-options.js";

export interface RawBrokerOptions extends RawProfileOptions {
  host: string;
  port: string;
  timeScale: string;
  json?: boolean;
  logFile?: string;
  receiveMaximum?: string;
}

const EXAMPLES = `
Examples:
  $ mqdiag broker --port 0                                  NanoMQ profile on a free port
  $ mqdiag broker --profile mosquitto --port 1883 --json    mosquitto's lines, one JSON object a line
  $ mqdiag broker --retry-interval 1s --keepalive-multiplier 1.5 --nanomq-version 0.21
  $ mqdiag broker --time-scale 10 --log-file broker.log     10x faster clock, lines also appended to a file

Prints "listening on <host>:<port>" on stderr, then each log line on stdout as it happens.
--json lines: {"t": <broker seconds>, "level", "signature": <id or null>, "clientId": <id or null>, "line"}.
SIGINT/SIGTERM close every connection and exit 0.`;

export function registerBroker(program: Command): void {
  const cmd = program
    .command("broker")
    .description("run the embedded MQTT broker and print the log lines its profile would print")
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--port <port>", "port to listen on (0 = a free port)", "1883");
  withProfileOptions(cmd)
    .option(
      "--receive-maximum <n>",
      "spec: the broker's Receive Maximum, said in CONNACK; one more unfinished QoS 1/2 PUBLISH gets DISCONNECT 0x93",
    )
    .option("--time-scale <n>", "run the broker's clock n times faster than real time", "1")
    .option("--json", "one JSON object a line instead of the plain line")
    .option("--log-file <path>", "also append the plain lines to this file")
    .addHelpText("after", EXAMPLES)
    .action(async (raw: RawBrokerOptions) => {
      const { runBroker } = await import("./broker-run.js");
      process.exitCode = await runBroker(raw);
    });
}
