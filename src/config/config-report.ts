import { NANOMQ_LATEST } from "../core/profile.js";
import { nanomqKickCounter } from "../keepalive/nanomq-arithmetic.js";
import {
  type KeepaliveParams,
  kickDelayAfterConnect,
  kickDelayAfterLastPacket,
  largestSafeIntervalMs,
  smallestAlwaysKickedIntervalMs,
} from "../keepalive/predict.js";
import { specLimitMs } from "../keepalive/spec-arithmetic.js";
import { type ConfigFinding, MULTIPLIER_NEVER_KICKS, NANOMQ_TICK_COUNTER_MAX } from "./config-finding.js";
import type { ConfSetting, NanomqConf } from "./nanomq-conf.js";
import type { ConfFormat } from "./nanomq-conf-keys.js";

export const CONFIG_SCHEMA = "mqdiag.config/v1";
export const DEFAULT_KEEPALIVES_S = [10, 30, 60, 120] as const;

/** What NanoMQ does to a client with this keepalive; null = never kicked. All from src/keepalive/predict.ts. */
export interface KeepaliveRow {
  keepaliveS: number;
  /** minMs < kick delay after the client's last packet ≤ maxMs. */
  kickAfterLastPacket: { minMs: number; maxMs: number } | null;
  /** Kick delay after CONNECT for a client that never sends anything. */
  kickAfterSilentConnectMs: number | null;
  /** The largest gap between the client's packets that is never kicked, whatever the tick phase. */
  largestSafeIntervalMs: number | null;
  /** Gaps this long or longer are always kicked. */
  smallestAlwaysKickedIntervalMs: number | null;
  /** What the spec allows: 1.5 × keepalive [MQTT-3.1.2-24]. */
  specDeadlineMs: number | null;
}

export interface ConfigReport {
  schema: typeof CONFIG_SCHEMA;
  file: string;
  format: ConfFormat;
  /** "forced" by --old-conf, else detected from what NanoMQ's two readers take from the file. */
  formatSource: "detected" | "forced";
  /** How NanoMQ must be started to read the file this way. */
  nanomqFlag: "--old_conf" | "--conf";
  retryInterval: ConfSetting;
  keepaliveMultiplier: ConfSetting;
  keepalives: KeepaliveRow[];
  findings: ConfigFinding[];
}

const SPEC_KEEPALIVE = "[MQTT-3.1.2-24] (3.1.1) / [MQTT-3.1.2-22] (5.0)";
const finite = (ms: number) => (Number.isFinite(ms) ? ms : null);

const never = (keepaliveS: number, keepaliveMs: number): KeepaliveRow => ({
  keepaliveS,
  kickAfterLastPacket: null,
  kickAfterSilentConnectMs: null,
  largestSafeIntervalMs: null,
  smallestAlwaysKickedIntervalMs: null,
  specDeadlineMs: keepaliveMs > 0 ? specLimitMs(keepaliveMs) : null,
});

/**
 * Whether NanoMQ can kick this keepalive at all with these settings, beyond what the tick model says: Q = 0 makes
 * the kick test `n·0 > KA·M` always false (nmq_mqtt.c `nano_pipe_timer_cb`; measured: never kicked), and a kick
 * that needs more than 65535 idle ticks never comes (the tick counter is a uint16_t and wraps).
 */
export function nanomqCanKick(params: KeepaliveParams, keepaliveMs: number): boolean {
  if (params.retryIntervalMs <= 0) return false;
  if (keepaliveMs <= 0) return true;
  return (
    nanomqKickCounter(params.retryIntervalMs, keepaliveMs, params.keepaliveMultiplier) <=
    NANOMQ_TICK_COUNTER_MAX
  );
}

/** The smallest keepalive (s) NanoMQ never kicks because of the 16-bit tick counter; null if all are kicked. */
export function neverKickedFromKeepaliveS(params: KeepaliveParams): number | null {
  if (params.retryIntervalMs <= 0) return 1;
  if (nanomqCanKick(params, 65_535_000)) return null;
  let lo = 1;
  let hi = 65_535;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (nanomqCanKick(params, mid * 1000)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function row(params: KeepaliveParams, keepaliveS: number): KeepaliveRow {
  const keepaliveMs = keepaliveS * 1000;
  if (!nanomqCanKick(params, keepaliveMs)) return never(keepaliveS, keepaliveMs);
  const afterPacket = kickDelayAfterLastPacket(params, keepaliveMs);
  return {
    keepaliveS,
    kickAfterLastPacket: afterPacket && { minMs: afterPacket.minMs, maxMs: afterPacket.maxMs },
    kickAfterSilentConnectMs: kickDelayAfterConnect(params, keepaliveMs)?.minMs ?? null,
    largestSafeIntervalMs: finite(largestSafeIntervalMs(params, keepaliveMs)),
    smallestAlwaysKickedIntervalMs: finite(smallestAlwaysKickedIntervalMs(params, keepaliveMs)),
    specDeadlineMs: keepaliveMs > 0 ? specLimitMs(keepaliveMs) : null,
  };
}

/** Findings that follow from the effective settings, through the same predictions the broker's model obeys. */
function keepaliveFindings(
  conf: NanomqConf,
  params: KeepaliveParams,
  rows: readonly KeepaliveRow[],
): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  const m = conf.keepaliveMultiplier;
  const q = conf.retryInterval;
  if (q.value <= 0) {
    findings.push({
      code: "retry-interval-zero",
      severity: "error",
      args: { key: q.key, value: q.raw, line: q.line },
    });
    return findings;
  }
  if (m.source === "file" && m.value >= MULTIPLIER_NEVER_KICKS) {
    const at60 = rows.find((r) => r.keepaliveS === 60) ?? rows.at(-1);
    findings.push({
      code: conf.format === "flat" ? "keepalive-backoff-trap" : "multiplier-disables-keepalive",
      severity: "error",
      args: {
        key: m.key,
        value: m.raw,
        line: m.line,
        multiplier: m.value,
        likelyMeant: m.value / 1000,
        keepaliveS: at60?.keepaliveS ?? null,
        kickAfterMs: at60?.kickAfterLastPacket?.minMs ?? null,
        neverFromKeepaliveS: neverKickedFromKeepaliveS(params),
      },
    });
  }
  for (const r of rows) {
    if (r.keepaliveS === 0 || r.largestSafeIntervalMs === null || r.specDeadlineMs === null) continue;
    if (r.largestSafeIntervalMs < r.keepaliveS * 1000) {
      // [MQTT-3.1.2-23] (3.1.1) lets a client stay silent for up to one keepalive.
      findings.push({
        code: "compliant-client-kicked",
        severity: "error",
        specRef: "[MQTT-3.1.2-23] (3.1.1)",
        args: { keepaliveS: r.keepaliveS, largestSafeIntervalMs: r.largestSafeIntervalMs },
      });
    } else if (r.kickAfterLastPacket && r.kickAfterLastPacket.minMs < r.specDeadlineMs) {
      findings.push({
        code: "kick-before-spec-deadline",
        severity: "info",
        specRef: SPEC_KEEPALIVE,
        args: {
          keepaliveS: r.keepaliveS,
          earliestKickMs: r.kickAfterLastPacket.minMs,
          specDeadlineMs: r.specDeadlineMs,
        },
      });
    }
  }
  return findings;
}

/** The whole `mqdiag config` result: effective settings, per-keepalive predictions, findings. */
export function buildConfigReport(
  file: string,
  conf: NanomqConf,
  keepalivesS: readonly number[] = DEFAULT_KEEPALIVES_S,
): ConfigReport {
  const params: KeepaliveParams = {
    profile: "nanomq",
    retryIntervalMs: conf.retryInterval.value,
    keepaliveMultiplier: conf.keepaliveMultiplier.value,
    nanomqVersion: NANOMQ_LATEST,
  };
  const keepalives = keepalivesS.map((s) => row(params, s));
  if (conf.format === "neither")
    throw new RangeError("buildConfigReport: a file neither NanoMQ reader takes");
  return {
    schema: CONFIG_SCHEMA,
    file,
    format: conf.format,
    formatSource: conf.formatSource,
    nanomqFlag: conf.format === "flat" ? "--old_conf" : "--conf",
    retryInterval: conf.retryInterval,
    keepaliveMultiplier: conf.keepaliveMultiplier,
    keepalives,
    findings: [...conf.findings, ...keepaliveFindings(conf, params, keepalives)],
  };
}

/** 1 when the config has a finding of severity error (the trap, an invalid value, compliant clients kicked). */
export function configExitStatus(report: { findings: readonly ConfigFinding[] }): number {
  return report.findings.some((f) => f.severity === "error") ? 1 : 0;
}
