import type { LogTime } from "./timestamp.js";

/**
 * What Erlang brokers' log lines share (OTP's logger, as RabbitMQ 3.10 and ejabberd 23.01 configure it, both
 * measured): `YYYY-MM-DD HH:MM:SS.µµµµµµ+HH:MM [level] `, the level in OTP's words.
 */
export const ERLANG_TIME_LEVEL = String.raw`^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2}:\d{2}|Z) \[(\w+)\] `;

const LEVELS: Record<string, string> = {
  debug: "DEBUG",
  info: "INFO",
  notice: "NOTICE",
  warning: "WARN",
  error: "ERROR",
};

/** OTP's level name in the catalogue's terms. */
export function erlangLevel(level: string): string {
  return LEVELS[level] ?? level.toUpperCase();
}

/** The zoned time of ERLANG_TIME_LEVEL's date, time and offset groups. */
export function erlangTime(date: string, time: string, offset: string): LogTime {
  return { ms: Date.parse(`${date}T${time}${offset}`), zoned: true };
}
