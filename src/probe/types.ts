import type { Clock } from "../core/clock.js";
import type { Target } from "../core/target.js";
import type { ProtocolVersion } from "../mqtt-wire/raw-session.js";
import type { CheckId, CheckStatus } from "./check-ids.js";
import type { ConnectedMeasured, ProbeFinding } from "./findings.js";
import type { Identified } from "./identify.js";

export type MqttVersionChoice = "auto" | "3.1.1" | "5";

export interface ProbeOptions {
  target: Target;
  clock: Clock;
  checks: readonly CheckId[];
  mqttVersion: MqttVersionChoice;
  username?: string;
  password?: string;
  clientIdPrefix: string;
  ca?: Buffer;
  insecure: boolean;
  /** Bound on each connection step (TCP, TLS, CONNACK, a PINGRESP...). */
  timeoutMs: number;
  /** Bound on the keepalive and will waits. */
  maxWaitMs: number;
  /** Keepalive values (seconds) the silent sessions request. */
  keepaliveSamples: readonly number[];
  /** Silent sessions per keepalive value. */
  sessionsPerSample: number;
  /** Window over which the silent sessions' starts are spread, so the broker's sweep phase is sampled. */
  staggerMs: number;
  pingCount: number;
  /**
   * Add the keepalive plan's sessions (keepalive-planned.ts): keepalives chosen by what their kicks would tell
   * about NanoMQ's tick, so its retry_interval and multiplier are pinned within a minute. The CLI turns it on
   * (but for --quick); off when left out.
   */
  keepalivePlan?: boolean;
  /** `--keepalive <s>`: answer "when will a client with this keepalive be kicked" from the fitted model. */
  forKeepalive?: number;
  deep: boolean;
  retainPrefix: string;
  /** Unique per run; part of client ids and retained topics. */
  runId: string;
  /** Progress notes for a live status line ("keepalive: 4 of 9 sessions kicked"). */
  onProgress?: (text: string) => void;
}

export interface ProbeResult {
  schema: "mqdiag.probe/v1";
  /** The protocol version every check after `connect` used; null when `connect` found no session. */
  target: Target & { mqttVersion: ConnectedMeasured["mqttVersion"] | null };
  startedAt: string;
  durationMs: number;
  insecure: boolean;
  checks: ProbeFinding[];
  /** Which broker the behaviour points to (identify.ts); absent in results saved before it existed. */
  identified?: Identified;
  /** `--baseline FILE`: what drifted since the baseline, and the known deviations (baseline.ts). */
  baseline?: BaselineComparison;
}

/** What every check gets: the options plus the protocol version `connect` settled on. */
export interface CheckContext {
  options: ProbeOptions;
  version: ProtocolVersion;
  /** Every version the broker accepted in `connect`. */
  acceptedVersions: readonly ProtocolVersion[];
  /** A fresh client id for this run ("mqdiag-<run>-<check>-<n>"). */
  clientId(check: string): string;
}

/** `--baseline FILE` (baseline.ts): what drifted since the baseline, and the known deviations. */
export type Drift =
  | { code: "model-changed"; check: "keepalive"; from: string; to: string }
  | {
      code: "parameter-moved";
      check: "keepalive";
      parameter: "tickS" | "multiplier" | "granularityS";
      from: number | [number, number | null] | null;
      to: number | [number, number | null] | null;
      tolerance: string;
    }
  | { code: "check-regressed"; check: CheckId; from: CheckStatus; to: CheckStatus; toCode: string }
  | { code: "new-deviation"; check: CheckId; deviations: string[] };

export type BaselineNote =
  | { code: "known-deviation"; check: CheckId; status: CheckStatus; deviations: string[] }
  | { code: "improved"; check: CheckId; from: CheckStatus; to: CheckStatus }
  | { code: "inconclusive"; check: CheckId; toCode: string }
  | { code: "not-in-baseline"; check: CheckId }
  | { code: "not-checked"; check: CheckId };

/** The comparison: `drift` fails the run (exit 1); `notes` are reported and do not. */
export interface BaselineComparison {
  file: string;
  savedAt: string;
  drifted: boolean;
  drift: Drift[];
  notes: BaselineNote[];
}
