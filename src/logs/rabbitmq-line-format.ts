import { ERLANG_TIME_LEVEL, erlangLevel, erlangTime } from "./erlang-logger.js";
import type { LinePrefix } from "./line-prefix.js";

/**
 * RabbitMQ's log file line (measured on 3.10.8, its default file format): an ISO date and time with µs and the UTC
 * offset, separated by a space, the level in brackets, then the Erlang process that wrote the line:
 * `2026-12-06 17:22:32.243709+00:00 [error] <0.1666.0> closing MQTT connection "…" (keepalive timeout)`.
 * Every line of one MQTT connection is written by that connection's process, so the pid is kept as the line's
 * `thread`: a line that names only the connection is tied to its client id through it (rabbitmq-clients.ts).
 */
const RABBITMQ = new RegExp(`${ERLANG_TIME_LEVEL}(<\\d+\\.\\d+\\.\\d+>) `);

export function parseRabbitmqPrefix(line: string): LinePrefix | undefined {
  const m = RABBITMQ.exec(line);
  if (!m) return undefined;
  return {
    dialect: "rabbitmq",
    time: erlangTime(m[1] as string, m[2] as string, m[3] as string),
    thread: m[5] as string,
    level: erlangLevel(m[4] as string),
    bodyStart: m[0].length,
  };
}
