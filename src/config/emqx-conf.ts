import {
  EMQX_DEFAULTS,
  EMQX_MULTIPLIER_RANGE,
  emqxEffectiveMultiplier,
} from "../keepalive/emqx-arithmetic.js";
import { type ConfEntry, scanConf } from "./conf-scan.js";
import { parseConfDurationMs, parseConfNumber } from "./conf-values.js";
import type { ConfigFinding } from "./config-finding.js";

/** One EMQX setting as the file writes it (null when absent) and the value read from it. */
export interface EmqxSetting {
  key: string;
  value: number | null;
  raw: string | null;
  line: number | null;
}

/**
 * The keepalive settings of an emqx.conf (HOCON), read as EMQX reads them — from the broker's source, not run
 * (emqx/emqx apps/emqx/src/emqx_schema.erl `mqtt_general/0`, `mqtt_converter/2`, `to_timeout_duration/1`):
 * standard HOCON, so `mqtt { … }` blocks and dotted `mqtt.…` keys are one object and the last setting wins.
 */
export interface EmqxConf {
  multiplier: EmqxSetting;
  backoff: EmqxSetting;
  /** ms. */
  checkInterval: EmqxSetting;
  /** `mqtt.server_keepalive` (s): MQTT 5 clients are given this keepalive (CONNACK Server Keep Alive). */
  serverKeepalive: EmqxSetting;
  /** What EMQX ends up with: mqtt_converter's choice between multiplier and 2 × backoff. */
  effectiveMultiplier: number;
  effectiveCheckIntervalMs: number;
  settings: number;
  findings: ConfigFinding[];
}

export const EMQX_KEYS = {
  multiplier: "mqtt.keepalive_multiplier",
  backoff: "mqtt.keepalive_backoff",
  checkInterval: "mqtt.keepalive_check_interval",
  serverKeepalive: "mqtt.server_keepalive",
} as const;

function last(entries: readonly ConfEntry[], path: string): ConfEntry | undefined {
  return entries.filter((e) => e.path === path).at(-1);
}

/**
 * `to_timeout_duration`: hocon durations (`30s`, `500ms`, `1m`, `1h`) and a bare integer, which is MILLISECONDS
 * (`to_duration_ms` falls back to `to_integer`).
 */
function emqxDurationMs(raw: string): number | undefined {
  if (/^\s*\d+\s*$/.test(raw)) return Number(raw);
  return parseConfDurationMs(raw);
}

function setting(entries: readonly ConfEntry[], key: string, read: (raw: string) => number | undefined) {
  const e = last(entries, key);
  const value = e ? (read(e.raw) ?? null) : null;
  return { entry: e, setting: { key, value, raw: e?.raw ?? null, line: e?.line ?? null } };
}

export function interpretEmqxConf(text: string): EmqxConf {
  const scan = scanConf(text);
  const findings: ConfigFinding[] = [];
  const m = setting(scan.entries, EMQX_KEYS.multiplier, parseConfNumber);
  const b = setting(scan.entries, EMQX_KEYS.backoff, parseConfNumber);
  const c = setting(scan.entries, EMQX_KEYS.checkInterval, emqxDurationMs);
  const s = setting(scan.entries, EMQX_KEYS.serverKeepalive, (raw) =>
    /^\s*disabled\s*$/.test(raw) ? undefined : parseConfNumber(raw),
  );
  for (const x of [m, b, c]) {
    if (x.entry && x.setting.value === null)
      findings.push({
        code: "value-unreadable",
        severity: "error",
        args: { key: x.setting.key, value: x.entry.raw, line: x.entry.line, broker: "emqx" },
      });
  }
  const effectiveMultiplier = emqxEffectiveMultiplier(
    m.setting.value ?? undefined,
    b.setting.value ?? undefined,
  );
  if (b.setting.value !== null) {
    findings.push({
      code: "emqx-keepalive-backoff",
      severity: m.setting.value !== null ? "warning" : "info",
      args: {
        key: EMQX_KEYS.backoff,
        value: b.setting.raw,
        line: b.setting.line,
        multiplierLine: m.setting.line,
        multiplier: m.setting.value,
        effective: effectiveMultiplier,
      },
    });
  }
  if (effectiveMultiplier < EMQX_MULTIPLIER_RANGE.min || effectiveMultiplier > EMQX_MULTIPLIER_RANGE.max)
    findings.push({
      code: "emqx-multiplier-out-of-range",
      severity: "error",
      args: { value: effectiveMultiplier, min: EMQX_MULTIPLIER_RANGE.min, max: EMQX_MULTIPLIER_RANGE.max },
    });
  if (c.entry && /^\s*\d+\s*$/.test(c.entry.raw))
    findings.push({
      code: "emqx-check-interval-ms",
      severity: "warning",
      args: { key: EMQX_KEYS.checkInterval, value: c.entry.raw, line: c.entry.line },
    });
  for (const e of scan.entries) {
    if (
      !/^zones\.[^.]+\.mqtt\.(keepalive_multiplier|keepalive_backoff|keepalive_check_interval)$/.test(e.path)
    )
      continue;
    findings.push({
      code: "emqx-zone-override",
      severity: "info",
      args: { key: e.path, value: e.raw, line: e.line },
    });
  }
  return {
    multiplier: m.setting,
    backoff: b.setting,
    checkInterval: c.setting,
    serverKeepalive: s.setting,
    effectiveMultiplier,
    effectiveCheckIntervalMs: c.setting.value ?? EMQX_DEFAULTS.checkIntervalMs,
    settings: scan.entries.length,
    findings,
  };
}
