import type { LinePrefix } from "./line-prefix.js";

/**
 * ejabberd's log line (measured on 23.01, its logger formatter in ejabberd_logger.erl): an ISO date and time with
 * µs and the UTC offset, separated by a space, the level in brackets, then in the log file the process and its
 * location `<0.464.0>@mod_mqtt_session:unregister_session/2:531 ` (the console leaves that out):
 * `2026-12-06 17:22:50.227243+00:00 [info] <0.464.0>@mod_mqtt_session:unregister_session/2:531 Closing MQTT …`.
 */
const EJABBERD =
  /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2}:\d{2}|Z) \[(\w+)\] (?:<[\d.]+>@\S+ )?/;

/** ejabberd's level names in the catalogue's terms. */
const LEVELS: Record<string, string> = {
  warning: "WARN",
  error: "ERROR",
  info: "INFO",
  debug: "DEBUG",
  notice: "NOTICE",
};

export function parseEjabberdPrefix(line: string): LinePrefix | undefined {
  const m = EJABBERD.exec(line);
  if (!m) return undefined;
  const level = m[4] as string;
  return {
    dialect: "ejabberd",
    time: { ms: Date.parse(`${m[1]}T${m[2]}${m[3]}`), zoned: true },
    thread: null,
    level: LEVELS[level] ?? level.toUpperCase(),
    bodyStart: m[0].length,
  };
}
