import { type ConfEntry, type ConfScan, scanConf } from "./conf-scan.js";
import { parseConfDurationMs, parseConfNumber } from "./conf-values.js";
import type { ConfigFinding } from "./config-finding.js";
import {
  type ConfFormat,
  FLAT_MARKERS,
  KEEPALIVE_KEY_NAMES,
  KEEPALIVE_KEYS,
  NANOMQ_CODE_DEFAULTS,
  NANOMQ_SHIPPED_MULTIPLIER,
} from "./nanomq-conf-keys.js";

/** One effective setting: from the file (key, line, raw text) or NanoMQ's default. */
export interface ConfSetting {
  value: number;
  source: "file" | "default";
  key: string | null;
  line: number | null;
  raw: string | null;
}

export interface NanomqConf {
  format: ConfFormat;
  /** Q, ms. */
  retryInterval: ConfSetting;
  /** M. */
  keepaliveMultiplier: ConfSetting;
  /** How many settings the file holds. */
  settings: number;
  /** Findings about the file itself (syntax, ignored keys, invalid values, defaults). */
  findings: ConfigFinding[];
}

export function detectFormat(scan: ConfScan): ConfFormat {
  if (scan.blocks) return "hocon";
  if (scan.entries.some((e) => e.path.startsWith("mqtt."))) return "hocon";
  if (scan.entries.some((e) => FLAT_MARKERS.has(e.path))) return "flat";
  return "hocon";
}

/** The last entry for a path wins, as in HOCON (and as NanoMQ's flat reader overwrites). */
function lastEntry(entries: readonly ConfEntry[], path: string): ConfEntry | undefined {
  return [...entries].reverse().find((e) => e.path === path);
}

function setting(
  entry: ConfEntry | undefined,
  parse: (raw: string) => number | undefined,
  fallback: number,
  findings: ConfigFinding[],
): ConfSetting {
  const none: ConfSetting = { value: fallback, source: "default", key: null, line: null, raw: null };
  if (!entry) return none;
  if (entry.raw.includes("${")) {
    // HOCON substitution: its value comes from elsewhere (another key, the environment), unknown here.
    findings.push({
      code: "value-unresolved",
      severity: "warning",
      args: { key: entry.path, value: entry.raw, line: entry.line, using: fallback },
    });
    return none;
  }
  const value = parse(entry.raw);
  if (value === undefined || !(value > 0) || !Number.isFinite(value)) {
    findings.push({
      code: "value-invalid",
      severity: "error",
      args: { key: entry.path, value: entry.raw, line: entry.line, using: fallback },
    });
    return none;
  }
  return { value, source: "file", key: entry.path, line: entry.line, raw: entry.raw };
}

/** Reads a NanoMQ config's text: its format, effective Q and M, and what it found wrong with the file. */
export function interpretNanomqConf(text: string): NanomqConf {
  const scan = scanConf(text);
  const format = detectFormat(scan);
  const keys = KEEPALIVE_KEYS[format];
  const findings: ConfigFinding[] = scan.issues.map((issue) => ({
    code: "syntax",
    severity: "warning",
    args: { line: issue.line, problem: issue.problem },
  }));
  const retryInterval = setting(
    lastEntry(scan.entries, keys.retryInterval),
    parseConfDurationMs,
    NANOMQ_CODE_DEFAULTS.retryIntervalMs,
    findings,
  );
  const multiplierEntry = lastEntry(scan.entries, keys.multiplier);
  const keepaliveMultiplier = setting(
    multiplierEntry,
    parseConfNumber,
    NANOMQ_CODE_DEFAULTS.keepaliveMultiplier,
    findings,
  );
  for (const include of scan.includes) {
    findings.push({ code: "include-not-read", severity: "warning", args: { ...include } });
  }
  for (const entry of scan.entries) {
    const name = entry.path.split(".").at(-1) ?? "";
    if (!KEEPALIVE_KEY_NAMES.has(name) || entry.path === keys.retryInterval || entry.path === keys.multiplier)
      continue;
    const reads = name === "retry_interval" || name === "qos_duration" ? keys.retryInterval : keys.multiplier;
    findings.push({
      code: "key-ignored",
      severity: "warning",
      args: { key: entry.path, line: entry.line, format, reads },
    });
  }
  if (!multiplierEntry) {
    findings.push({
      code: "multiplier-default",
      severity: "info",
      args: {
        key: keys.multiplier,
        using: NANOMQ_CODE_DEFAULTS.keepaliveMultiplier,
        shipped: NANOMQ_SHIPPED_MULTIPLIER,
      },
    });
  }
  return { format, retryInterval, keepaliveMultiplier, settings: scan.entries.length, findings };
}
