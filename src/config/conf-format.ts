import type { ConfScan } from "./conf-scan.js";
import type { FlatEntry } from "./flat-scan.js";
import {
  type ConfFormat,
  FLAT_KEEPALIVE_KEYS,
  FLAT_MARKERS,
  isHoconKeepalivePath,
} from "./nanomq-conf-keys.js";

/**
 * Which of NanoMQ's two parsers a file is written for. NanoMQ itself never looks at the contents: `nanomq start`
 * runs the flat reader (conf.c `conf_parse`) only for `--old_conf <file>` and the HOCON reader (conf_ver2.c
 * `conf_parse_ver2`) for `--conf <file>` or no flag (nanomq/apps/broker.c `file_path_parse` and the
 * `rc == OPT_CONFFILE` branch of `broker_start`, 0.21.9 and 0.25.3 alike). So mqdiag decides from what each
 * reader would take from the file:
 * 1. a `{ … }` block spanning lines (outside comments and strings) → HOCON: the flat reader is line-based and a
 *    flat file never has one (a JSON value such as `user_property={"key1":"value1"}` opens and closes on its line);
 * 2. the flat keepalive keys (`qos_duration`, `keepalive_backoff` as `key=value` lines the flat reader takes) and
 *    no `mqtt.` keepalive key → flat;
 * 3. `mqtt.retry_interval` / `mqtt.keepalive_multiplier` → HOCON;
 * 4. another key only the flat format has at top level (`url`, `num_taskq_thread`, …) → flat;
 * 5. any other HOCON setting → HOCON (e.g. the shipped nanomq_pwd.conf and nanomq_acl.conf fragments);
 * 6. nothing either reader takes → neither.
 * Braces in comments never count (the HOCON scan skips `#` and `//` comments; the flat reader skips lines with
 * a `#` before the key), and neither do braces inside values.
 */
export type FormatReason =
  | "multi-line-block"
  | "flat-keepalive-keys"
  | "hocon-keepalive-keys"
  | "flat-keys"
  | "hocon-settings"
  | "forced";

export interface FormatDecision {
  format: ConfFormat | "neither";
  reason: FormatReason | "none";
  /** The line that decided it (the block, the key), when one did. */
  line: number | null;
  key: string | null;
}

export function detectFormat(scan: ConfScan, flat: readonly FlatEntry[]): FormatDecision {
  if (scan.multiLineBlockAt !== null)
    return { format: "hocon", reason: "multi-line-block", line: scan.multiLineBlockAt, key: null };
  const hoconKeepalive = scan.entries.find((e) => isHoconKeepalivePath(e.path));
  const flatKeepalive = flat.find((e) => FLAT_KEEPALIVE_KEYS.has(e.key));
  if (flatKeepalive && !hoconKeepalive)
    return {
      format: "flat",
      reason: "flat-keepalive-keys",
      line: flatKeepalive.line,
      key: flatKeepalive.key,
    };
  if (hoconKeepalive)
    return {
      format: "hocon",
      reason: "hocon-keepalive-keys",
      line: hoconKeepalive.line,
      key: hoconKeepalive.path,
    };
  const marker = flat.find((e) => FLAT_MARKERS.has(e.key));
  if (marker) return { format: "flat", reason: "flat-keys", line: marker.line, key: marker.key };
  const setting = scan.entries[0];
  if (setting) return { format: "hocon", reason: "hocon-settings", line: setting.line, key: setting.path };
  return { format: "neither", reason: "none", line: null, key: null };
}

/** Where a file shows HOCON structure: what `--old-conf` would throw away. */
export function hoconEvidence(scan: ConfScan): { line: number; key: string | null } | null {
  if (scan.multiLineBlockAt !== null) return { line: scan.multiLineBlockAt, key: null };
  const e = scan.entries.find((x) => isHoconKeepalivePath(x.path));
  return e ? { line: e.line, key: e.path } : null;
}
