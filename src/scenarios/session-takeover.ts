import { takeoverSequence } from "./sequences.js";
import type { ScenarioDefinition } from "./types.js";

/** [MQTT-3.1.4-2]: a second connection with the same client id makes the broker close the first. */
export const sessionTakeover: ScenarioDefinition = {
  name: "session-takeover",
  behaviours: ["takeover"],
  explanation:
    "a second connection with the same client id closes the first [MQTT-3.1.4-2]; on NanoMQ `Object closed` then rv 139 follow",
  expected: (p) => ({ seen: takeoverSequence(p), absent: ["keepalive-timeout"] }),
  durationMs: (_p, o) => (o.keepaliveS * 1000) / 4 + 4000,
  async run(ctx) {
    const afterMs = (ctx.options.keepaliveS * 1000) / 4;
    const fleet = await ctx.startFleet({ behaviour: "takeover", afterMs, waitCloseMs: 3000 });
    await fleet.done();
    for (const c of fleet.clients) {
      const [first] = c.records();
      ctx.check({
        code: "broker-closed",
        ok: first?.closedBy === "broker",
        essential: true,
        args: {
          clientId: c.clientId,
          closeKind: first?.closeKind ?? null,
          reasonCode: first?.reasonCode ?? null,
        },
      });
    }
  },
};
