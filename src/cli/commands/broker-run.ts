import { createWriteStream, type WriteStream } from "node:fs";
import { startBroker } from "../../broker/index.js";
import { keepYoungGenerationSmall } from "../../broker/process-heap.js";
import type { BrokerLogLine } from "../../broker/types.js";
import { scaledClock } from "../../core/clock.js";
import { parsePort, parsePositiveNumber } from "../../core/duration.js";
import { errorMessage, UsageError } from "../../core/errors.js";
import { parseProfileOptions } from "../../core/options.js";
import { parseReceiveMaximum } from "../../core/receive-maximum-option.js";
import { tickFaultBrokerNote } from "../../report/tick-fault-note.js";
import type { RawBrokerOptions } from "./broker.js";

/** `mqdiag broker`'s action, imported only when that command runs (it loads the broker). */
export async function runBroker(raw: RawBrokerOptions): Promise<number> {
  const profile = parseProfileOptions(raw);
  const port = parsePort(raw.port);
  const receiveMaximum = parseReceiveMaximum(raw.receiveMaximum, profile.profile);
  const timeScale = parsePositiveNumber(raw.timeScale, "--time-scale");
  const logFile = raw.logFile === undefined ? undefined : await openLogFile(raw.logFile);
  keepYoungGenerationSmall(); // this process is the broker alone
  // its lines go out as they come (print below): none is kept in memory
  const broker = await startBroker({
    keepLogLines: false,
    ...profile,
    ...(receiveMaximum !== undefined ? { receiveMaximum } : {}),
    host: raw.host,
    port,
    clock: scaledClock(timeScale),
  });
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
  const note = tickFaultBrokerNote(profile);
  if (note) process.stderr.write(`${note}\n`);
  // a bug of the embedded broker stops the run loudly (exit 70, "this is a bug"): it is never a broker line
  let bug: string | undefined;
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
    broker.on("trace", (event) => {
      if (event.type !== "internal-error" || bug !== undefined) return;
      bug = `the embedded broker failed on ${event.clientId ?? "a connection before CONNECT"}: ${event.message}`;
      resolve();
    });
  });
  await broker.close();
  broker.off("log", print);
  if (logFile) await new Promise<void>((resolve) => logFile.end(() => resolve()));
  if (bug !== undefined) throw new Error(bug);
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
