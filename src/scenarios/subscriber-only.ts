import { kickDelayAfterConnect } from "../keepalive/predict.js";
import { kickCheck, latestKickMs } from "./kick-check.js";
import { kickSequence } from "./sequences.js";
import type { ScenarioDefinition } from "./types.js";
import { waitAllClosed } from "./wait-closed.js";

/** Receives a steady stream but never sends: brokers count only inbound packets, so it is kicked anyway. */
export const subscriberOnly: ScenarioDefinition = {
  name: "subscriber-only",
  behaviours: ["subscriber-only"],
  explanation:
    "receiving messages does not keep a client alive: only packets it sends reset the broker's keepalive timer",
  expected: (p) => ({ seen: kickSequence(p), absent: [] }),
  durationMs: (p, o) => latestKickMs({ profile: p }, o.keepaliveS * 1000) + 3000,
  async run(ctx) {
    const fleet = await ctx.startFleet({ behaviour: "subscriber-only", topic: `mqdiag/${ctx.name}/stream` });
    const subs = () => fleet.clients.map((c) => c.records()[0]).filter((r) => r !== undefined);
    const timeout = latestKickMs(ctx, ctx.options.keepaliveS * 1000) + 3000;
    const kick = kickDelayAfterConnect(ctx.profile, ctx.options.keepaliveS * 1000);
    const detail = kick
      ? `kick expected ${kick.minMs === kick.maxMs ? kick.minMs / 1000 : `${kick.minMs / 1000}–${kick.maxMs / 1000}`} s after CONNECT`
      : undefined;
    await waitAllClosed(ctx, subs, timeout, "the kick", detail);
    for (const record of subs()) {
      ctx.check(kickCheck(ctx, record));
      ctx.check({
        code: "client-outcome",
        ok: record.events.some((e) => e.dir === "in" && e.packet === "publish"),
        essential: false,
        args: { clientId: record.clientId, receivedStream: true },
      });
    }
  },
};
