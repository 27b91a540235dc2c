import { createWriteStream, type WriteStream } from "node:fs";
import type { Command } from "commander";
import { startBroker } from "../../broker/index.js";
import type { BrokerLogLine } from "../../broker/types.js";
import { scaledClock } from "../../core/clock.js";
import { parsePort, parsePositiveNumber } from "../../core/duration.js";
import { errorMessage, UsageError } from "../../core/errors.js";
import { parseProfileOptions, type RawProfileOptions } from "../../core/options.js";
import { withProfileOptions } from "../profile-options.js";

interface RawBrokerOptions extends RawProfileOptions {
  host: string;
  port: string;
  timeScale: string;
  json?: boolean;
  logFile?: string;
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
    .option("--time-scale <n>", "run the broker's clock n times faster than real time", "1")
    .option("--json", "one JSON object a line instead of the plain line")
    .option("--log-file <path>", "also append the plain lines to this file")
    .addHelpText("after", EXAMPLES)
    .action(async (raw: RawBrokerOptions) => {
      process.exitCode = await runBroker(raw);
    });
}

async function runBroker(raw: RawBrokerOptions): Promise<number> {
  const profile = parseProfileOptions(raw);
  const port = parsePort(raw.port);
  const timeScale = parsePositiveNumber(raw.timeScale, "--time-scale");
  const logFile = raw.logFile === undefined ? undefined : await openLogFile(raw.logFile);
  const broker = await startBroker({ ...profile, host: raw.host, port, clock: scaledClock(timeScale) });
  const print = (line: BrokerLogLine) => {
    const text = raw.json
      ? JSON.stringify({
          t: line.t,
          level: line.level,
          signature: line.signature,
          clientId: line.clientId,
          line: line.line,
        })
      : line.line;
    process.stdout.write(`${text}\n`);
    logFile?.write(`${line.line}\n`);
  };
  broker.on("log", print);
  // An IPv6 address is bracketed, as in a URL: "listening on [::1]:1883".
  const host = broker.host.includes(":") ? `[${broker.host}]` : broker.host;
  process.stderr.write(`listening on ${host}:${broker.port}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await broker.close();
  broker.off("log", print);
  if (logFile) await new Promise<void>((resolve) => logFile.end(() => resolve()));
  return 0;
}

async function openLogFile(path: string): Promise<WriteStream> {
  const stream = createWriteStream(path, { flags: "a" });
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (err) =>
      reject(new UsageError(`--log-file: cannot open ${path}: ${errorMessage(err)}`)),
    );
  });
  return stream;
}
