import type { SourceDialect } from "../signatures/types.js";
import type { LinePrefix } from "./line-prefix.js";
import { parseNaiveTime } from "./timestamp.js";

/**
 * Line prefixes of the brokers whose logs are read from their source's formats, not from a run
 * (signatures/source-dialects.ts has the messages):
 * - EMQX 5 text (emqx_config_logger.erl: `[level] msg` after an RFC 3339 time with µs and offset, or epoch µs
 *   with `timestamp_format = epoch`); JSON (emqx_logger_jsonfmt.erl: `{"time":…,"level":"info","msg":…}`, time epoch
 *   µs by default, or an RFC 3339 string);
 * - VerneMQ 2 (files/vmq.schema `log.template`: extended `time [level] <pid> mod:fun/arity:line: msg`, the
 *   default, or simple `time level: msg`) and VerneMQ 1 (lager: `YYYY-MM-DD HH:MM:SS.mmm [level] <pid>@mod:fun:line msg`);
 * - HiveMQ CE (conf/logback.xml: event.log `%-24(%d)- %msg`, hivemq.log `%-30(%d %level)- %msg`).
 */
const RFC3339 = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})`;
const EMQX_TEXT = new RegExp(`^(${RFC3339}|\\d{16}) \\[(\\w+)\\] `);
const EMQX_JSON = /^\{"time":("?)([^",]+)\1,"level":"(\w+)"/;
const VMQ_EXTENDED = new RegExp(`^(${RFC3339}) \\[(\\w+)\\] <\\d+\\.\\d+\\.\\d+> \\S+: `);
const VMQ_SIMPLE = new RegExp(`^(${RFC3339}) (debug|info|notice|warning|error|critical|alert|emergency): `);
const VMQ_LAGER = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\.(\d{3}) \[(\w+)\] <\d+\.\d+\.\d+>@\S+ /;
const HIVEMQ = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}),(\d{3}) +(?:([A-Z]+) +)?- /;

/** RFC 3339 (zoned) or epoch µs. */
function zonedTime(text: string): { ms: number; zoned: boolean } {
  return { ms: /^\d+$/.test(text) ? Math.floor(Number(text) / 1000) : Date.parse(text), zoned: true };
}

function naive(date: string, millis: string): { ms: number; zoned: boolean } {
  return { ms: parseNaiveTime(date) + Number(millis), zoned: false };
}

function prefix(
  dialect: SourceDialect,
  time: LinePrefix["time"],
  level: string | null,
  bodyStart: number,
): LinePrefix {
  return { dialect, time, thread: null, level, bodyStart };
}

export function parseSourcePrefix(line: string, dialect: SourceDialect): LinePrefix | undefined {
  if (dialect === "emqx") {
    // VerneMQ's extended format starts the same way; its `<pid> mod:fun/arity:line:` tells them apart.
    if (VMQ_EXTENDED.test(line)) return undefined;
    const text = EMQX_TEXT.exec(line);
    if (text) return prefix(dialect, zonedTime(text[1] as string), text[2] as string, text[0].length);
    const json = EMQX_JSON.exec(line);
    return json ? prefix(dialect, zonedTime(json[2] as string), json[3] as string, 0) : undefined;
  }
  if (dialect === "vernemq") {
    const m = VMQ_EXTENDED.exec(line) ?? VMQ_SIMPLE.exec(line);
    if (m) return prefix(dialect, zonedTime(m[1] as string), m[2] as string, m[0].length);
    const lager = VMQ_LAGER.exec(line);
    return lager
      ? prefix(dialect, naive(lager[1] as string, lager[2] as string), lager[3] as string, lager[0].length)
      : undefined;
  }
  const m = HIVEMQ.exec(line);
  return m ? prefix(dialect, naive(m[1] as string, m[2] as string), m[3] ?? null, m[0].length) : undefined;
}
