import { type KeepaliveParams, predictKickWindow } from "../keepalive/predict.js";
import type { ConnectionTimeline } from "./timeline.js";
import type { KickTiming } from "./verdict-types.js";

export interface KickReading {
  timing: KickTiming;
  earliestMs: number | null;
  latestMs: number | null;
  atMs: number;
}

/**
 * A broker's close against the model's kick window for this client's CONNECT and last packet (src/keepalive
 * predicts it): within the window ± `toleranceMs` is on time. A model that never kicks this client (keepalive 0,
 * say) makes any kick early.
 */
export function kickTimingOf(
  t: ConnectionTimeline,
  keepaliveMs: number | undefined,
  kickAtMs: number,
  model: KeepaliveParams,
  toleranceMs: number,
): KickReading {
  const connect = t.connect;
  if (!connect || keepaliveMs === undefined)
    return { timing: "not-modelled", earliestMs: null, latestMs: null, atMs: kickAtMs };
  const last = t.lastClient;
  const inboundAt = last && last.packet > connect.at.packet ? [last.timeMs] : [];
  const window = predictKickWindow(model, { keepaliveMs, connectAt: connect.at.timeMs, inboundAt });
  if (!window) return { timing: "early", earliestMs: null, latestMs: null, atMs: kickAtMs };
  const timing: KickTiming =
    kickAtMs < window.earliestMs - toleranceMs
      ? "early"
      : kickAtMs > window.latestMs + toleranceMs
        ? "late"
        : "on-time";
  return { timing, earliestMs: window.earliestMs, latestMs: window.latestMs, atMs: kickAtMs };
}
