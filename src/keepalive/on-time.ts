import type { KeepaliveParams } from "./predict.js";
import { predictKickWindow } from "./predict.js";
import type { KickWindow } from "./predict-types.js";

/** Whether a client that keeps pinging on schedule is kicked while it still does. */
export type OnTimeOutcome = "survives" | "kicked" | "may-be-kicked";

/**
 * A client that sends a packet every `intervalMs` after its CONNECT (at 0), `pings` times: is it kicked before its
 * last packet? `kicked` = under every tick phase and jitter draw, `survives` = under none, `may-be-kicked` = under
 * some (a simulated --tick-jitter). `window` is where the kick can fall (it may come after the last packet).
 */
export function periodicPingerOutcome(
  p: KeepaliveParams,
  keepaliveMs: number,
  intervalMs: number,
  pings: number,
): { outcome: OnTimeOutcome; window: KickWindow | null; lastPacketMs: number } {
  const inboundAt = Array.from({ length: pings }, (_, i) => (i + 1) * intervalMs);
  const lastPacketMs = pings * intervalMs;
  const window = predictKickWindow(p, { keepaliveMs, connectAt: 0, inboundAt });
  const outcome: OnTimeOutcome =
    window === null || window.earliestMs > lastPacketMs
      ? "survives"
      : window.latestMs <= lastPacketMs
        ? "kicked"
        : "may-be-kicked";
  return { outcome, window, lastPacketMs };
}
