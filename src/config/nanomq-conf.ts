import { detectFormat, type FormatDecision, hoconEvidence } from "./conf-format.js";
import { type ConfEntry, type ConfScan, scanConf } from "./conf-scan.js";
import { cAtof, cAtoi, hoconNumber, nanomqGetTimeS, readsWhole } from "./conf-values.js";
import type { ConfigFinding } from "./config-finding.js";
import { type FlatEntry, scanFlatConf } from "./flat-scan.js";
import {
  type ConfFormat,
  FLAT_KEEPALIVE_KEYS,
  isHoconKeepalivePath,
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
  /** The format read; "neither" when no reader takes anything from the file (readNanomqConf refuses it). */
  format: ConfFormat | "neither";
  /** "forced" by `--old-conf`, else detected (see conf-format.ts). */
  formatSource: "detected" | "forced";
  formatDecision: FormatDecision;
  /** Q, ms. */
  retryInterval: ConfSetting;
  /** M. */
  keepaliveMultiplier: ConfSetting;
  /** How many settings the chosen reader takes from the file. */
  settings: number;
  /** Findings about the file itself (format, syntax, ignored keys, values NanoMQ reads differently, defaults). */
  findings: ConfigFinding[];
}

export interface InterpretOptions {
  /** Read as this format whatever the file looks like: `flat` is `--old-conf`, as NanoMQ's `--old_conf`. */
  format?: ConfFormat;
}

const DEFAULT = (value: number): ConfSetting => ({
  value,
  source: "default",
  key: null,
  line: null,
  raw: null,
});
const fromFile = (value: number, key: string, line: number, raw: string): ConfSetting => ({
  value,
  source: "file",
  key,
  line,
  raw,
});

/**
 * Which of several HOCON `mqtt.<name>` settings NanoMQ ends up with (nanolib hocon.c + cJSON, both versions;
 * measured with the real parsers):
 * 1. `path_expression_parse`: a top-level key with dots (`mqtt.keepalive_multiplier = 2`) is expanded and MOVED to
 *    the end of the root object (`path_expression_parse_core` detaches it and appends it again);
 * 2. `deduplication_and_merging`: top-level objects of the same (case-sensitive) name are merged into the LAST of
 *    them, the earlier one's fields appended after its own; then of two same-named fields the later one stays. So
 *    across blocks the FIRST `mqtt` block wins, and a dotted key loses to any block; within one block the last wins;
 * 3. `hocon_get_obj("mqtt")` and `hocon_read_*_base` use cJSON_GetObjectItem: case-insensitive, first match.
 */
export function hoconEffectiveEntry(entries: readonly ConfEntry[], name: string): ConfEntry | undefined {
  interface Group {
    top: string;
    dotted: boolean;
    group: number;
    fields: ConfEntry[];
  }
  const groups = new Map<number, Group>();
  for (const e of entries) {
    const top = e.topKey.split(".")[0] ?? "";
    if (top.toLowerCase() !== "mqtt") continue;
    const g = groups.get(e.group) ?? { top, dotted: e.topKey.includes("."), group: e.group, fields: [] };
    groups.set(e.group, g);
    if (e.path.split(".").length === 2) g.fields.push(e);
  }
  const ordered = [...groups.values()].sort(
    (a, b) => Number(a.dotted) - Number(b.dotted) || a.group - b.group,
  );
  // Merge same-named objects; a merged object sits where its last member is.
  const merged = new Map<string, { at: number; fields: ConfEntry[] }>();
  ordered.forEach((g, at) => {
    const before = merged.get(g.top)?.fields ?? [];
    const list = [...g.fields, ...before];
    const kept = list.filter((f, i) => !list.slice(i + 1).some((later) => later.path === f.path));
    merged.set(g.top, { at, fields: kept });
  });
  const mqtt = [...merged.values()].sort((a, b) => a.at - b.at)[0];
  return mqtt?.fields.find((f) => (f.path.split(".")[1] ?? "").toLowerCase() === name);
}

/**
 * A HOCON substitution (`${KA}`, `${?ENV}`): NanoMQ's scanner recognises it ("Variable string: ${KA}") but its
 * grammar has no rule for it: "Parser syntax error" (measured, both versions), so 0.25.3 exits and 0.21.9 runs on
 * its defaults. mqdiag assumes the default and says so.
 */
function unresolved(entry: ConfEntry, key: string, using: number, findings: ConfigFinding[]): boolean {
  if (!entry.raw.includes("${")) return false;
  findings.push({
    code: "value-unresolved",
    severity: "error",
    args: { key, value: entry.raw, line: entry.line, using },
  });
  return true;
}

/**
 * Unquoted values NanoMQ's HOCON scanner (flex, nanolib scanner.c) cannot tokenise, so that its parser stops with
 * "Parser syntax error": 0.25.3 then exits (parser.c `yyerror` calls exit(EXIT_FAILURE)), 0.21.9 ignores the whole
 * file and runs on its defaults. Only shapes measured against both builds' parsers are flagged: an IP address or
 * dotted version (`0.0.0.0`, as in the shipped 0.25.3 nanomq_example.conf), a `/` (URLs, paths), blanks inside
 * (`5 s`), a `+` inside, a fraction with a unit (`1.5s`), digits then three or more letters or mixed text (`10sec`,
 * `5min`, `1h30m`, `0x10`, `1_000`), a `${…}` substitution. Accepted: numbers, `10s`/`10KB`/`10ms`, words like
 * `warn` or `a.b-c@d`.
 */
export function hoconRejectsUnquoted(raw: string): boolean {
  const v = raw.trim();
  if (v.includes("${")) return true; // a substitution: "Parser syntax error" (see `unresolved`)
  if (v === "" || v.startsWith("[")) return false;
  if (/\s/.test(v) || v.includes("/")) return true;
  if (/.\+/.test(v)) return true;
  if (/^[+-]?\d+\.\d*\./.test(v)) return true;
  if (/^\d+\.\d+[A-Za-z]/.test(v)) return true;
  if (/^\d+[A-Za-z_]/.test(v) && !/^\d+[A-Za-z]{1,2}$/.test(v)) return true;
  return false;
}

/** The two settings as NanoMQ's HOCON reader takes them (conf_ver2.c `conf_basic_parse_ver2`). */
function readHocon(scan: ConfScan, findings: ConfigFinding[]) {
  const retryEntry = hoconEffectiveEntry(scan.entries, "retry_interval");
  const multiplierEntry = hoconEffectiveEntry(scan.entries, "keepalive_multiplier");
  let retryInterval = DEFAULT(NANOMQ_CODE_DEFAULTS.retryIntervalMs);
  let keepaliveMultiplier = DEFAULT(NANOMQ_CODE_DEFAULTS.keepaliveMultiplier);

  if (
    retryEntry &&
    !unresolved(retryEntry, retryEntry.path, NANOMQ_CODE_DEFAULTS.retryIntervalMs, findings)
  ) {
    const { path: key, raw, line } = retryEntry;
    if (!retryEntry.quoted && hoconNumber(raw) !== undefined) {
      // hocon_read_time_base only takes a string: `retry_interval = 5` is skipped, the default stays.
      findings.push({
        code: "value-ignored",
        severity: "warning",
        args: { key, value: raw, line, using: NANOMQ_CODE_DEFAULTS.retryIntervalMs, why: "bare-number" },
      });
    } else {
      const seconds = nanomqGetTimeS(raw);
      retryInterval = fromFile(seconds * 1000, key, line, raw);
      if (seconds === 0) {
        findings.push({
          code: "value-invalid",
          severity: "warning",
          args: { key, value: raw, line, readAs: 0 },
        });
      } else if (!/^\d+[smhd]$/.test(raw.trim())) {
        findings.push({
          code: "value-coerced",
          severity: "warning",
          args: { key, value: raw, line, readAs: seconds * 1000, unit: "ms" },
        });
      }
    }
  }

  if (
    multiplierEntry &&
    !unresolved(multiplierEntry, multiplierEntry.path, NANOMQ_CODE_DEFAULTS.keepaliveMultiplier, findings)
  ) {
    const { path: key, raw, line } = multiplierEntry;
    const n = multiplierEntry.quoted ? undefined : hoconNumber(raw);
    if (n === undefined || !(n > 0)) {
      // hocon_read_num_base takes only a number > 0: a string ("1.25" quoted too), 0 or a negative is skipped.
      findings.push({
        code: "value-ignored",
        severity: "warning",
        args: {
          key,
          value: raw,
          line,
          using: NANOMQ_CODE_DEFAULTS.keepaliveMultiplier,
          why: n === undefined ? "not-a-number" : "not-positive",
        },
      });
    } else {
      keepaliveMultiplier = fromFile(n, key, line, raw);
      if (Number(raw.trim()) !== n)
        findings.push({
          code: "value-coerced",
          severity: "warning",
          args: { key, value: raw, line, readAs: n },
        });
    }
  }

  for (const [entry, name] of [
    [retryEntry, "retry_interval"],
    [multiplierEntry, "keepalive_multiplier"],
  ] as const) {
    if (!entry) continue;
    for (const other of scan.entries) {
      if (other === entry || !isHoconKeepalivePath(other.path)) continue;
      if ((other.path.split(".")[1] ?? "").toLowerCase() !== name) continue;
      findings.push({
        code: "key-overridden",
        severity: "warning",
        args: { key: other.path, value: other.raw, line: other.line, usedLine: entry.line, format: "hocon" },
      });
    }
  }
  for (const entry of scan.entries) {
    const name = entry.path.split(".").at(-1) ?? "";
    if (!KEEPALIVE_KEY_NAMES.has(name) || isHoconKeepalivePath(entry.path)) continue;
    findings.push({
      code: "key-ignored",
      severity: "warning",
      args: {
        key: entry.path,
        line: entry.line,
        format: "hocon",
        reads: readsFor(name, "hocon"),
        flatKey: FLAT_KEEPALIVE_KEYS.has(entry.path) ? 1 : 0,
      },
    });
  }
  return { retryInterval, keepaliveMultiplier, multiplierSet: multiplierEntry !== undefined };
}

const readsFor = (name: string, format: ConfFormat) =>
  name === "retry_interval" || name === "qos_duration"
    ? KEEPALIVE_KEYS[format].retryInterval
    : KEEPALIVE_KEYS[format].multiplier;

/** The two settings as NanoMQ's flat reader takes them (conf.c `conf_basic_parse`, see flat-scan.ts). */
function readFlat(flat: readonly FlatEntry[], findings: ConfigFinding[]) {
  const last = (key: string) => flat.filter((e) => e.key === key).at(-1);
  const retryEntry = last("qos_duration");
  const multiplierEntry = last("keepalive_backoff");
  let retryInterval = DEFAULT(NANOMQ_CODE_DEFAULTS.retryIntervalMs);
  let keepaliveMultiplier = DEFAULT(NANOMQ_CODE_DEFAULTS.keepaliveMultiplier);

  // No substitutions in this format: `${X}` is just text to atoi/atof (0), reported as value-coerced.
  if (retryEntry) {
    // `config->qos_duration = atoi(value)`: whole seconds, into a uint32_t (a negative wraps around).
    const seconds = cAtoi(retryEntry.raw) >>> 0;
    retryInterval = fromFile(seconds * 1000, retryEntry.key, retryEntry.line, retryEntry.raw);
    if (!readsWhole(retryEntry.raw, true) || cAtoi(retryEntry.raw) < 0)
      findings.push({
        code: "value-coerced",
        severity: "warning",
        args: {
          key: retryEntry.key,
          value: retryEntry.raw,
          line: retryEntry.line,
          readAs: seconds * 1000,
          unit: "ms",
        },
      });
  }
  if (multiplierEntry) {
    // `config->backoff = atof(value)`: the number as written, never scaled (1250 is 1250), no check at all.
    const value = cAtof(multiplierEntry.raw);
    keepaliveMultiplier = fromFile(value, multiplierEntry.key, multiplierEntry.line, multiplierEntry.raw);
    if (!readsWhole(multiplierEntry.raw, false))
      findings.push({
        code: "value-coerced",
        severity: "warning",
        args: {
          key: multiplierEntry.key,
          value: multiplierEntry.raw,
          line: multiplierEntry.line,
          readAs: value,
        },
      });
  }
  for (const [used, key] of [
    [retryEntry, "qos_duration"],
    [multiplierEntry, "keepalive_backoff"],
  ] as const) {
    for (const other of flat) {
      if (!used || other === used || other.key !== key) continue;
      findings.push({
        code: "key-overridden",
        severity: "warning",
        args: { key, value: other.raw, line: other.line, usedLine: used.line, format: "flat" },
      });
    }
  }
  for (const entry of flat) {
    const name = entry.key.split(".").at(-1) ?? "";
    if (!KEEPALIVE_KEY_NAMES.has(name) || FLAT_KEEPALIVE_KEYS.has(entry.key)) continue;
    findings.push({
      code: "key-ignored",
      severity: "warning",
      args: { key: entry.key, line: entry.line, format: "flat", reads: readsFor(name, "flat"), flatKey: 0 },
    });
  }
  return { retryInterval, keepaliveMultiplier, multiplierSet: multiplierEntry !== undefined };
}

/** Reads a NanoMQ config's text: its format, effective Q and M, and what it found wrong with the file. */
export function interpretNanomqConf(text: string, options: InterpretOptions = {}): NanomqConf {
  const scan = scanConf(text);
  const flat = scanFlatConf(text);
  const detected = detectFormat(scan, flat);
  const forced = options.format;
  const format = forced ?? detected.format;
  const formatDecision: FormatDecision = forced
    ? { format: forced, reason: "forced", line: null, key: null }
    : detected;
  const findings: ConfigFinding[] = [];
  const none = {
    format,
    formatSource: forced ? ("forced" as const) : ("detected" as const),
    formatDecision,
    retryInterval: DEFAULT(NANOMQ_CODE_DEFAULTS.retryIntervalMs),
    keepaliveMultiplier: DEFAULT(NANOMQ_CODE_DEFAULTS.keepaliveMultiplier),
    settings: 0,
    findings,
  };
  if (format === "neither") return none;

  if (format === "flat") {
    if (forced) {
      const hocon = hoconEvidence(scan);
      if (hocon) findings.push({ code: "format-forced", severity: "warning", args: { ...hocon } });
    } else {
      findings.push({
        code: "flat-format",
        severity: "info",
        args: { line: detected.line, key: detected.key },
      });
    }
    const { multiplierSet, ...read } = readFlat(flat, findings);
    if (!multiplierSet) pushMultiplierDefault("flat", findings);
    const settings = flat.filter((e) => e.equals || FLAT_KEEPALIVE_KEYS.has(e.key)).length;
    return { ...none, ...read, settings };
  }

  for (const issue of scan.issues)
    findings.push({
      code: "syntax",
      severity: "warning",
      args: { line: issue.line, problem: issue.problem },
    });
  // A substitution in a keepalive key is already value-unresolved; elsewhere it rejects the file all the same.
  const rejected = scan.entries.find(
    (e) =>
      !e.quoted && hoconRejectsUnquoted(e.raw) && !(e.raw.includes("${") && isHoconKeepalivePath(e.path)),
  );
  if (rejected)
    findings.push({
      code: "value-rejected",
      severity: "error",
      args: { key: rejected.path, value: rejected.raw, line: rejected.line },
    });
  const { multiplierSet, ...read } = readHocon(scan, findings);
  for (const include of scan.includes)
    findings.push({ code: "include-not-read", severity: "warning", args: { ...include } });
  if (!multiplierSet) pushMultiplierDefault("hocon", findings);
  return { ...none, ...read, settings: scan.entries.length };
}

function pushMultiplierDefault(format: ConfFormat, findings: ConfigFinding[]): void {
  findings.push({
    code: "multiplier-default",
    severity: "info",
    args: {
      key: KEEPALIVE_KEYS[format].multiplier,
      using: NANOMQ_CODE_DEFAULTS.keepaliveMultiplier,
      shipped: NANOMQ_SHIPPED_MULTIPLIER,
    },
  });
}
