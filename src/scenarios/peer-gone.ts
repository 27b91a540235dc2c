import type { BehaviourName } from "../fleet/types.js";
import { peerGoneSequence } from "./sequences.js";
import type { ScenarioDefinition, ScenarioName } from "./types.js";
import { waitAllClosed } from "./wait-closed.js";

/** tcp-rst and fin-close: the client goes away without DISCONNECT, half a keepalive after CONNECT. */
export function peerGoneScenario(
  name: ScenarioName,
  behaviour: Extract<BehaviourName, "rst" | "fin">,
): ScenarioDefinition {
  return {
    name,
    behaviours: [behaviour],
    explanation:
      "the peer went away (RST or FIN without DISCONNECT): NanoMQ logs `Connection shutdown` then rv 139, never a keepalive kick",
    expected: (p) => ({ seen: peerGoneSequence(p), absent: ["keepalive-timeout"] }),
    durationMs: (_p, o) => (o.keepaliveS * 1000) / 2 + 3000,
    async run(ctx) {
      const afterMs = (ctx.options.keepaliveS * 1000) / 2;
      const fleet = await ctx.startFleet({ behaviour, afterMs });
      const records = () => fleet.records();
      await waitAllClosed(ctx, records, afterMs + 3000, `the ${behaviour === "rst" ? "reset" : "close"}`);
      for (const r of records()) {
        ctx.check({
          code: "client-outcome",
          ok: r.closedBy === "client" && r.closeKind === (behaviour === "rst" ? "RST" : "FIN"),
          essential: true,
          args: { clientId: r.clientId, closedBy: r.closedBy, closeKind: r.closeKind },
        });
      }
    },
  };
}
