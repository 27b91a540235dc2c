import { DEFAULT_PROFILE_OPTIONS } from "../core/profile.js";
import {
  type KeepaliveParams,
  kickDelayAfterLastPacket,
  largestSafeIntervalMs,
  smallestAlwaysKickedIntervalMs,
} from "../keepalive/predict.js";
import { capsKeepalive } from "../keepalive/server-keepalive.js";
import { specLimitMs } from "../keepalive/spec-arithmetic.js";
import type { ConfigFinding } from "./config-finding.js";
import { CONFIG_SCHEMA, type KeepaliveRow } from "./config-report.js";
import type { MosquittoConf } from "./mosquitto-conf.js";

/**
 * What mosquitto 2.0 does to a client asking for keepalive K (src/handle_connect.c, from its source), and when it
 * kicks it: the kick window is the mosquitto model's (measured on 2.0.11, docs/mosquitto-measured.md) for the
 * keepalive an MQTT 5 client ends up with.
 */
export interface MosquittoKeepaliveRow extends KeepaliveRow {
  /** The keepalive an MQTT 5 client is given (max_keepalive when K > max or K = 0, else K). */
  mqtt5KeepaliveS: number;
  /** An MQTT 3.1.1 client asking K: refused with CONNACK 2 since 2.0.12 when capped, else accepted with K. */
  mqtt311: "accepted" | "refused-since-2.0.12";
}

export interface MosquittoConfigReport {
  schema: typeof CONFIG_SCHEMA;
  broker: "mosquitto";
  file: string;
  /** `max_keepalive` as written (null: not set, the version's default applies). */
  maxKeepalive: MosquittoConf["maxKeepalive"];
  keepalives: MosquittoKeepaliveRow[];
  findings: ConfigFinding[];
}

const MOSQUITTO: KeepaliveParams = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" };
const finite = (ms: number) => (Number.isFinite(ms) ? ms : null);

function row(max: number, keepaliveS: number): MosquittoKeepaliveRow {
  const capped = capsKeepalive(max, keepaliveS);
  const effective = capped ? max : keepaliveS;
  const ms = effective * 1000;
  const after = kickDelayAfterLastPacket(MOSQUITTO, ms);
  return {
    keepaliveS,
    kickAfterLastPacket: after && { minMs: after.minMs, maxMs: after.maxMs },
    // mosquitto treats the CONNECT like any packet: the window after it is kickAfterLastPacket
    kickAfterSilentConnectMs: null,
    largestSafeIntervalMs: finite(largestSafeIntervalMs(MOSQUITTO, ms)),
    smallestAlwaysKickedIntervalMs: finite(smallestAlwaysKickedIntervalMs(MOSQUITTO, ms)),
    specDeadlineMs: keepaliveS > 0 ? specLimitMs(keepaliveS * 1000) : null,
    mqtt5KeepaliveS: effective,
    mqtt311: capped ? "refused-since-2.0.12" : "accepted",
  };
}

export function buildMosquittoConfigReport(
  file: string,
  conf: MosquittoConf,
  keepalivesS: readonly number[],
): MosquittoConfigReport {
  const findings = [...conf.findings];
  const max = conf.maxKeepalive.value;
  // Not set: 2.0.16 and later do not cap (0); up to 2.0.15 the default 65535 caps only keepalive 0.
  const keepalives = keepalivesS.map((s) => row(max ?? 0, s));
  if (max === null) {
    findings.push({ code: "mosquitto-max-keepalive-default", severity: "info", args: {} });
  } else {
    const capped = keepalives.filter((r) => capsKeepalive(max, r.keepaliveS));
    if (capped.length > 0)
      findings.push({
        code: "mosquitto-max-keepalive-caps",
        severity: "warning",
        args: {
          value: max,
          line: conf.maxKeepalive.line,
          keepalives: capped.map((r) => r.keepaliveS).join(", "),
          minMs: capped[0]?.kickAfterLastPacket?.minMs ?? null,
          maxMs: capped[0]?.kickAfterLastPacket?.maxMs ?? null,
        },
      });
  }
  return {
    schema: CONFIG_SCHEMA,
    broker: "mosquitto",
    file,
    maxKeepalive: conf.maxKeepalive,
    keepalives,
    findings,
  };
}
