import type { ProfileOptions } from "../core/profile.js";
import {
  type KickQuery,
  type KickWindow,
  kickDelayAfterLastPacket,
  predictKickWindow,
} from "../keepalive/predict.js";

/**
 * The kick window for a client's packets as seen from outside the broker. The profile's model, except mosquitto's
 * 1-s resolution: its whole seconds are the broker's wall-clock seconds, not the scenario clock's, so from
 * outside only the phase-free delay after the last packet holds, (⌊1.5·KA⌋, ⌊1.5·KA⌋ + 6] s. NanoMQ's ticks
 * count from the CONNECT, which a client on loopback sees to within a ms.
 */
export function externalKickWindow(p: ProfileOptions, query: KickQuery): KickWindow | null {
  if (p.profile !== "mosquitto") return predictKickWindow(p, query);
  const delay = kickDelayAfterLastPacket(p, query.keepaliveMs);
  if (delay === null) return null;
  const last = Math.max(query.connectAt ?? 0, ...(query.inboundAt ?? []));
  return { earliestMs: last + delay.minMs, latestMs: last + delay.maxMs, exact: false };
}
