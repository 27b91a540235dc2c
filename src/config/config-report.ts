import {
  type KeepaliveParams,
  kickDelayAfterConnect,
  kickDelayAfterLastPacket,
  largestSafeIntervalMs,
  smallestAlwaysKickedIntervalMs,
} from "../broker/keepalive/predict.js";
import { specLimitMs } from "../broker/keepalive/spec-arithmetic.js";
import { NANOMQ_LATEST } from "../core/profile.js";
import { type ConfigFinding, MULTIPLIER_NEVER_KICKS } from "./config-finding.js";
import type { ConfSetting, NanomqConf } from "./nanomq-conf.js";
import type { ConfFormat } from "./nanomq-conf-keys.js";

export const CONFIG_SCHEMA = "mqdiag.config/v1";
export const DEFAULT_KEEPALIVES_S = [10, 30, 60, 120] as const;

/** What NanoMQ does to a client with this keepalive; null = never kicked. All from broker/keepalive/predict.ts. */
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
  retryInterval: ConfSetting;
  keepaliveMultiplier: ConfSetting;
  keepalives: KeepaliveRow[];
  findings: ConfigFinding[];
}

const SPEC_KEEPALIVE = "[MQTT-3.1.2-24] (3.1.1) / [MQTT-3.1.2-22] (5.0)";
const finite = (ms: number) => (Number.isFinite(ms) ? ms : null);

function row(params: KeepaliveParams, keepaliveS: number): KeepaliveRow {
  const keepaliveMs = keepaliveS * 1000;
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
function keepaliveFindings(conf: NanomqConf, rows: readonly KeepaliveRow[]): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  const m = conf.keepaliveMultiplier;
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
  return {
    schema: CONFIG_SCHEMA,
    file,
    format: conf.format,
    retryInterval: conf.retryInterval,
    keepaliveMultiplier: conf.keepaliveMultiplier,
    keepalives,
    findings: [...conf.findings, ...keepaliveFindings(conf, keepalives)],
  };
}

/** 1 when the config has a finding of severity error (the trap, an invalid value, compliant clients kicked). */
export function configExitStatus(report: ConfigReport): number {
  return report.findings.some((f) => f.severity === "error") ? 1 : 0;
}
