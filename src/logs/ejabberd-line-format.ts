import { ERLANG_TIME_LEVEL, erlangLevel, erlangTime } from "./erlang-logger.js";
import type { LinePrefix } from "./line-prefix.js";

/**
 * ejabberd's log line (measured on 23.01, its logger formatter in ejabberd_logger.erl): an ISO date and time with
 * µs and the UTC offset, separated by a space, the level in brackets, then in the log file the process and its
 * location `<0.464.0>@mod_mqtt_session:unregister_session/2:531 ` (the console leaves that out):
 * `2026-12-06 17:22:50.227243+00:00 [info] <0.464.0>@mod_mqtt_session:unregister_session/2:531 Closing MQTT …`.
 */
const EJABBERD = new RegExp(`${ERLANG_TIME_LEVEL}(?:<[\\d.]+>@\\S+ )?`);

export function parseEjabberdPrefix(line: string): LinePrefix | undefined {
  const m = EJABBERD.exec(line);
  if (!m) return undefined;
  return {
    dialect: "ejabberd",
    time: erlangTime(m[1] as string, m[2] as string, m[3] as string),
    thread: null,
    level: erlangLevel(m[4] as string),
    bodyStart: m[0].length,
  };
}
