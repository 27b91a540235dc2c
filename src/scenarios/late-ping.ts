import { kickDelayAfterLastPacket, smallestAlwaysKickedIntervalMs } from "../broker/keepalive/predict.js";
import type { ProfileOptions } from "../core/profile.js";
import { kickCheck } from "./kick-check.js";
import { kickSequence } from "./sequences.js";
import type { ScenarioDefinition, ScenarioOptions } from "./types.js";
import { waitAllClosed } from "./wait-closed.js";

/** The default --ping-at: half a keepalive past the point where the profile always kicks. */
export function defaultPingAt(p: ProfileOptions, keepaliveS: number): number | null {
  const kickedMs = smallestAlwaysKickedIntervalMs(p, keepaliveS * 1000);
  if (!Number.isFinite(kickedMs)) return null;
  return Math.ceil((kickedMs / (keepaliveS * 1000)) * 2) / 2 + 0.5;
}

function pingAt(p: ProfileOptions, o: ScenarioOptions): number | null {
  return o.pingAt === undefined ? defaultPingAt(p, o.keepaliveS) : o.pingAt;
}

/** Scenario ms until the late client's kick is surely over: on-time ping, then the model's latest kick. */
function durationMs(p: ProfileOptions, o: ScenarioOptions): number {
  const ka = o.keepaliveS * 1000;
  const latest = kickDelayAfterLastPacket(p, ka)?.maxMs ?? 3 * ka;
  const at = pingAt(p, o);
  return ka + Math.min(latest, at === null ? latest : at * ka + latest) + Math.max(2000, 0.1 * latest);
}

export const latePing: ScenarioDefinition = {
  name: "late-ping",
  description: "pings on time once, then its next PINGREQ late (--ping-at × keepalive) or never: kicked",
  behaviours: ["late-ping"],
  explanation: "kick-after-last-inbound",
  expected: (p) => ({ seen: kickSequence(p), absent: [] }),
  durationMs,
  async run(ctx) {
    const ka = ctx.options.keepaliveS * 1000;
    const at = pingAt(ctx.profile, ctx.options);
    const fleet = await ctx.startFleet({ behaviour: "late-ping", intervalMs: at === null ? null : at * ka });
    const clients = () => fleet.clients.map((c) => c.records()[0]).filter((r) => r !== undefined);
    const window = kickDelayAfterLastPacket(ctx.profile, ka);
    const windowText = window
      ? `${window.minMs / 1000}–${window.maxMs / 1000} s after the last PINGREQ`
      : undefined;
    await waitAllClosed(ctx, clients, durationMs(ctx.profile, ctx.options), "the kick", windowText);
    for (const record of clients()) ctx.check(kickCheck(ctx, record));
  },
};
