import { emqxCheckIntervalMs } from "../keepalive/emqx-arithmetic.js";
import type { EmqxParams } from "../keepalive/predict-emqx.js";
import {
  type SourceModel,
  sourceDelayAfterConnect,
  sourceDelayAfterLastPacket,
} from "../keepalive/predict-source.js";
import { specLimitMs } from "../keepalive/spec-arithmetic.js";
import type { ConfigFinding } from "./config-finding.js";
import { CONFIG_SCHEMA, type KeepaliveRow } from "./config-report.js";
import type { EmqxConf } from "./emqx-conf.js";

/** A keepalive row for EMQX ≥ 5.7.2, with the check interval it gets and the window before 5.7.2. */
export interface EmqxKeepaliveRow extends KeepaliveRow {
  /** The check interval after the clamp to [1 s, KA/2]. */
  checkIntervalMs: number | null;
  /** 5.0.26 – 5.7.1: minMs < kick ≤ maxMs after the last packet. */
  before572: { minMs: number; maxMs: number } | null;
}

export interface EmqxConfigReport {
  schema: typeof CONFIG_SCHEMA;
  broker: "emqx";
  /** Every number here comes from EMQX's source, read, not run. */
  model: "from the broker's source, not run";
  file: string;
  settings: Pick<EmqxConf, "multiplier" | "backoff" | "checkInterval" | "serverKeepalive">;
  effectiveMultiplier: number;
  effectiveCheckIntervalMs: number;
  keepalives: EmqxKeepaliveRow[];
  findings: ConfigFinding[];
}

const window = (d: { minMs: number; maxMs: number } | null) => d && { minMs: d.minMs, maxMs: d.maxMs };

function row(params: EmqxParams, keepaliveS: number): EmqxKeepaliveRow {
  const ms = keepaliveS * 1000;
  const model: SourceModel = { model: "emqx", ...params };
  const legacy: SourceModel = { model: "emqx-legacy", era: "emqx-5.0.26", multiplier: params.multiplier };
  const after = sourceDelayAfterLastPacket(model, ms);
  return {
    keepaliveS,
    kickAfterLastPacket: window(after),
    kickAfterSilentConnectMs: sourceDelayAfterConnect(model, ms)?.minMs ?? null,
    largestSafeIntervalMs: after?.minMs ?? null,
    smallestAlwaysKickedIntervalMs: after?.maxMs ?? null,
    specDeadlineMs: ms > 0 ? specLimitMs(ms) : null,
    checkIntervalMs: ms > 0 ? emqxCheckIntervalMs(params.checkIntervalMs, ms) : null,
    before572: window(sourceDelayAfterLastPacket(legacy, ms)),
  };
}

export function buildEmqxConfigReport(
  file: string,
  conf: EmqxConf,
  keepalivesS: readonly number[],
): EmqxConfigReport {
  const params: EmqxParams = {
    multiplier: conf.effectiveMultiplier,
    checkIntervalMs: conf.effectiveCheckIntervalMs,
  };
  const keepalives = keepalivesS.map((s) => row(params, s));
  const findings = [...conf.findings];
  const clamped = keepalives.filter(
    (r) => r.checkIntervalMs !== null && r.checkIntervalMs < params.checkIntervalMs,
  );
  if (clamped.length > 0)
    findings.push({
      code: "emqx-check-interval-clamped",
      severity: "info",
      args: {
        configuredMs: params.checkIntervalMs,
        keepalives: clamped.map((r) => `${r.keepaliveS} s → ${(r.checkIntervalMs ?? 0) / 1000} s`).join(", "),
      },
    });
  for (const r of keepalives) {
    if (r.specDeadlineMs === null || r.kickAfterLastPacket === null) continue;
    if (r.kickAfterLastPacket.minMs < r.specDeadlineMs)
      findings.push({
        code: "kick-before-spec-deadline",
        severity: "info",
        specRef: "[MQTT-3.1.2-24] (3.1.1) / [MQTT-3.1.2-22] (5.0)",
        args: {
          keepaliveS: r.keepaliveS,
          earliestKickMs: r.kickAfterLastPacket.minMs,
          specDeadlineMs: r.specDeadlineMs,
        },
      });
  }
  const server = conf.serverKeepalive;
  if (server.value !== null) {
    const r = row(params, server.value);
    findings.push({
      code: "emqx-server-keepalive",
      severity: "info",
      args: {
        value: server.value,
        line: server.line,
        minMs: r.kickAfterLastPacket?.minMs ?? null,
        maxMs: r.kickAfterLastPacket?.maxMs ?? null,
      },
    });
  }
  findings.push({ code: "emqx-before-5.7.2", severity: "info", args: { multiplier: params.multiplier } });
  return {
    schema: CONFIG_SCHEMA,
    broker: "emqx",
    model: "from the broker's source, not run",
    file,
    settings: {
      multiplier: conf.multiplier,
      backoff: conf.backoff,
      checkInterval: conf.checkInterval,
      serverKeepalive: conf.serverKeepalive,
    },
    effectiveMultiplier: conf.effectiveMultiplier,
    effectiveCheckIntervalMs: conf.effectiveCheckIntervalMs,
    keepalives,
    findings,
  };
}
