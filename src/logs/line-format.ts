import type { Dialect } from "../signatures/types.js";
import { parseEjabberdPrefix } from "./ejabberd-line-format.js";
import type { LinePrefix } from "./line-prefix.js";
import { parseRabbitmqPrefix } from "./rabbitmq-line-format.js";
import { parseSourcePrefix } from "./source-line-formats.js";
import { parseNaiveTime } from "./timestamp.js";

// NanoMQ console `YYYY-mm-dd HH:MM:SS [tid] LEVEL <file>:<line> <func>: <msg>`; file format the same without <func>.
const NANOMQ = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) \[(\d+)\] ([A-Z]+) */;
// mqdiag's neutral `spec` wording: an ISO timestamp, a level, the message.
const SPEC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) ([A-Z]+) /;
// mosquitto `<epoch>: <msg>`, or a `log_timestamp_format` such as `%Y-%m-%dT%H:%M:%S`.
const MOSQUITTO_EPOCH = /^(\d{9,11}): /;
const MOSQUITTO_ISO = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}): /;
// Console colours, when the console was captured with them.
const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, "g");

export function stripAnsi(line: string): string {
  return line.includes(ESC) ? line.replace(ANSI, "") : line;
}

let lastStamp = "";
let lastMs = 0;
function naive(text: string): number {
  if (text !== lastStamp) {
    lastStamp = text;
    lastMs = parseNaiveTime(text);
  }
  return lastMs;
}

/** Reads the prefix of `line` in `dialect`, or undefined when the line is not in that format. */
export function parsePrefix(line: string, dialect: Dialect): LinePrefix | undefined {
  if (dialect === "nanomq") {
    const m = NANOMQ.exec(line);
    if (!m) return undefined;
    return {
      dialect,
      time: { ms: naive(m[1] as string), zoned: false },
      thread: m[2] as string,
      level: m[3] as string,
      bodyStart: m[0].length,
    };
  }
  if (dialect === "emqx" || dialect === "hivemq" || dialect === "vernemq")
    return parseSourcePrefix(line, dialect);
  if (dialect === "ejabberd") return parseEjabberdPrefix(line);
  if (dialect === "rabbitmq") return parseRabbitmqPrefix(line);
  if (dialect === "spec") {
    const m = SPEC.exec(line);
    if (!m) return undefined;
    return {
      dialect,
      time: { ms: Date.parse(m[1] as string), zoned: true },
      thread: null,
      level: m[2] as string,
      bodyStart: m[0].length,
    };
  }
  const epoch = MOSQUITTO_EPOCH.exec(line);
  if (epoch) {
    return {
      dialect,
      time: { ms: Number(epoch[1]) * 1000, zoned: true },
      thread: null,
      level: null,
      bodyStart: epoch[0].length,
    };
  }
  const iso = MOSQUITTO_ISO.exec(line);
  if (!iso) return undefined;
  return {
    dialect,
    time: { ms: naive(iso[1] as string), zoned: false },
    thread: null,
    level: null,
    bodyStart: iso[0].length,
  };
}

// VerneMQ before EMQX: both can start `<RFC 3339 time> [level] `. RabbitMQ's `<pid> ` after the level is stricter
// than another Erlang broker's optional one: RabbitMQ first.
export const DETECTABLE: readonly Dialect[] = [
  "nanomq",
  "spec",
  "mosquitto",
  "vernemq",
  "emqx",
  "hivemq",
  "rabbitmq",
  "ejabberd",
];

/** The dialect whose line format `line` is in, if any. */
export function detectDialect(line: string): Dialect | undefined {
  for (const d of DETECTABLE) if (parsePrefix(line, d)) return d;
  return undefined;
}
