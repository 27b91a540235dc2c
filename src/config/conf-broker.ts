import { basename } from "node:path";
import { scanConf } from "./conf-scan.js";
import { MOSQUITTO_MARKERS, scanMosquittoConf } from "./mosquitto-conf.js";

/** Which broker's config `mqdiag config` reads a file as. */
export const CONF_BROKERS = ["nanomq", "emqx", "mosquitto"] as const;
export type ConfBroker = (typeof CONF_BROKERS)[number];

/** HOCON settings only emqx.conf has (apps/emqx_conf/src/emqx_conf_schema.erl, apps/emqx/src/emqx_schema.erl). */
const EMQX_PATHS =
  /^(node\.(name|cookie|data_dir)|dashboard\.|cluster\.|zones\.|durable_sessions\.|mqtt\.(keepalive_check_interval|server_keepalive|idle_timeout))/;
/** Settings NanoMQ's shipped configs have and EMQX's do not: they keep a file NanoMQ's. */
const NANOMQ_PATHS = /^(system\.|http_server\.|mqtt\.retry_interval$)/;

/**
 * The broker a config is for: its file name first (`emqx.conf`, `mosquitto.conf`, `nanomq*.conf`), else its content:
 * `option value` lines of mosquitto's own options (no `=`: NanoMQ's flat format writes `key=value`), then HOCON
 * settings only EMQX has (and none only NanoMQ's shipped files have); anything else is left to the NanoMQ reader (which refuses a file neither of its formats
 * takes).
 */
export function detectConfBroker(path: string, text: string): ConfBroker {
  const name = basename(path).toLowerCase();
  for (const b of ["emqx", "mosquitto", "nanomq"] as const) if (name.includes(b)) return b;
  if (
    scanMosquittoConf(text).some(
      (l) => MOSQUITTO_MARKERS.has(l.option) && l.value !== "" && !/^[={:]/.test(l.value),
    )
  )
    return "mosquitto";
  const paths = scanConf(text).entries.map((e) => e.path);
  if (paths.some((p) => EMQX_PATHS.test(p)) && !paths.some((p) => NANOMQ_PATHS.test(p))) return "emqx";
  return "nanomq";
}
