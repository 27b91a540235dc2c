import { nanomqDelayAfterConnect } from "../keepalive/predict-nanomq.js";
import type { NanomqSettings } from "./nanomq-settings.js";
import type { LogTime } from "./timestamp.js";

/** The version whose keepalive rules apply: a log with `pipe close!` lines is 0.25 or later. */
const NANOMQ_0_25: readonly [number, number, number] = [0, 25, 0];
/** NanoMQ stamps whole seconds: two stamps' difference is off by less than this either way. */
export const STAMP_RESOLUTION_MS = 1000;

/** What the log says of a kicked client's connection before the kick. */
export interface ConnectInfo {
  /** Its last `<id> online!` line (WARN, 0.25+) before the kick. */
  at: LogTime;
  /** Its keepalive, when a debug log's `$SYS` client_status payload said it. */
  keepaliveS: number | null;
}

/**
 * A kick against NanoMQ's tick model (src/keepalive): a client is never kicked sooner after its CONNECT than a
 * client silent since then, 1.5·Q + Q·(⌊KA·M/Q⌋ + 1); later packets only make the kick later, so without the
 * client's traffic (never in the log) only the earliest bound can be checked. Without its keepalive (debug only)
 * the bound is that of keepalive 1 s, the least any client can have.
 */
export interface KickCheck {
  clientId: string;
  connectedAt: LogTime;
  kickedAt: LogTime;
  keepaliveS: number | null;
  /** kick − connect as the stamps say (whole seconds). */
  afterMs: number;
  /** The model's earliest kick after CONNECT for this keepalive. */
  earliestMs: number;
  /** early: sooner than the model allows even with the stamps' resolution taken against it. */
  verdict: "within" | "early";
}

export function checkKick(
  settings: NanomqSettings,
  clientId: string,
  connect: ConnectInfo,
  kickedAt: LogTime,
): KickCheck | undefined {
  const keepaliveMs = (connect.keepaliveS ?? 1) * 1000;
  const delay = nanomqDelayAfterConnect(
    {
      retryIntervalMs: settings.retryIntervalMs,
      keepaliveMultiplier: settings.keepaliveMultiplier,
      nanomqVersion: NANOMQ_0_25,
    },
    keepaliveMs > 0 ? keepaliveMs : 1000,
  );
  if (!delay) return undefined;
  const afterMs = kickedAt.ms - connect.at.ms;
  return {
    clientId,
    connectedAt: connect.at,
    kickedAt,
    keepaliveS: connect.keepaliveS,
    afterMs,
    earliestMs: delay.minMs,
    verdict: afterMs + STAMP_RESOLUTION_MS <= delay.minMs ? "early" : "within",
  };
}
