import type { ProfileOptions } from "../core/profile.js";
import { kickDelayAfterLastPacket, predictKickWindow } from "../keepalive/predict.js";
import { inboundTimeline, type KickQuery, type KickWindow } from "../keepalive/predict-types.js";

/**
 * The kick window for a client's packets as seen from outside the broker. The profile's model, except mosquitto's
 * 1-s resolution: its whole seconds are the broker's wall-clock seconds, not the scenario clock's, so from
 * outside only the phase-free delay after a packet holds, (⌊1.5·KA⌋, ⌊1.5·KA⌋ + 6] s: the window of the first gap
 * that reaches its earliest kick (a later packet inside it may still save the client). NanoMQ's ticks count from
 * the CONNECT, which a client on loopback sees to within a ms.
 */
export function externalKickWindow(p: ProfileOptions, query: KickQuery): KickWindow | null {
  if (p.profile !== "mosquitto") return predictKickWindow(p, query);
  const delay = kickDelayAfterLastPacket(p, query.keepaliveMs);
  if (delay === null) return null;
  const timeline = inboundTimeline(query);
  for (let i = 0; i < timeline.length; i++) {
    const at = timeline[i] ?? 0;
    const next = timeline[i + 1];
    if (next === undefined || next > at + delay.minMs)
      return { earliestMs: at + delay.minMs, latestMs: at + delay.maxMs, exact: false };
  }
  return null;
}
