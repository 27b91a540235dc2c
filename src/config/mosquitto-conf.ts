import type { ConfigFinding } from "./config-finding.js";

/**
 * The keepalive-relevant settings of a mosquitto.conf, read as mosquitto 2.0 reads them — from the broker's source
 * (eclipse-mosquitto/mosquitto src/conf.c `config__read_file_core`: one `option value` per line, `#` lines are
 * comments, a later line overrides an earlier one; `max_keepalive` must be 10–65535 up to 2.0.12, 0–65535 since
 * 2.0.13, else mosquitto refuses to start). What max_keepalive does to clients (src/handle_connect.c): a client
 * asking for more, or for 0, gets max_keepalive — MQTT 5 told so as Server Keep Alive; MQTT 3.1.1 refused with
 * CONNACK 2 since 2.0.12, unaffected before (2.0.0–2.0.11, the Debian build here). Default 65535 up to 2.0.15,
 * 0 (no cap) since 2.0.16.
 */
export interface MosquittoConf {
  maxKeepalive: { value: number | null; raw: string | null; line: number | null };
  /** Lines that look like `option value` settings. */
  settings: number;
  findings: ConfigFinding[];
}

/** A line mosquitto's reader takes as a setting: an option word, blanks, a value. */
const SETTING = /^([a-z_]+)(?:\s+(.*?))?\s*$/;

/** Options only mosquitto.conf has (src/conf.c), used to recognise the format. */
export const MOSQUITTO_MARKERS = new Set([
  "listener",
  "max_keepalive",
  "persistence",
  "persistence_location",
  "log_dest",
  "log_type",
  "allow_anonymous",
  "password_file",
  "acl_file",
  "per_listener_settings",
  "include_dir",
  "pid_file",
  "max_queued_messages",
  "persistent_client_expiration",
  "connection_messages",
  "autosave_interval",
  "sys_interval",
  "retain_available",
  "max_inflight_messages",
]);

export interface MosquittoLine {
  option: string;
  value: string;
  line: number;
}

export function scanMosquittoConf(text: string): MosquittoLine[] {
  const out: MosquittoLine[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "").trim();
    if (line === "" || line.startsWith("#")) return;
    const m = SETTING.exec(line);
    if (m) out.push({ option: m[1] as string, value: m[2] ?? "", line: i + 1 });
  });
  return out;
}

export function interpretMosquittoConf(text: string): MosquittoConf {
  const lines = scanMosquittoConf(text);
  const findings: ConfigFinding[] = [];
  const entry = lines.filter((l) => l.option === "max_keepalive").at(-1);
  let value: number | null = null;
  if (entry) {
    const n = /^\d+$/.test(entry.value) ? Number(entry.value) : Number.NaN;
    if (Number.isNaN(n) || n > 65_535) {
      findings.push({
        code: "value-unreadable",
        severity: "error",
        args: { key: "max_keepalive", value: entry.value, line: entry.line, broker: "mosquitto" },
      });
    } else {
      value = n;
      if (n < 10)
        findings.push({
          code: "mosquitto-max-keepalive-small",
          severity: n === 0 ? "info" : "warning",
          args: { value: n, line: entry.line },
        });
    }
  }
  return {
    maxKeepalive: { value, raw: entry?.value ?? null, line: entry?.line ?? null },
    settings: lines.filter((l) => MOSQUITTO_MARKERS.has(l.option) || l.value !== "").length,
    findings,
  };
}
