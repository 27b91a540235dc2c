import { seedFor } from "../core/prng.js";
import { startRelay } from "../link/relay-host.js";
import type { LinkSpec } from "../link/types.js";
import { ScriptTimer } from "./script-timer.js";
import type { ClientContext, FleetClient } from "./types.js";

/** Clock ms a stopping client gets to say goodbye (DISCONNECT) through its link before the relay is closed. */
const GOODBYE_MS = 2000;

/**
 * Starts a client behind its own relay (src/link): the behaviour dials the relay's loopback port instead of the
 * target and never knows. Each client's link draws from its own PRNG (the link's seed and the client id), so a
 * fleet's jitter is reproducible. Stopping stops the client first — its DISCONNECT still goes through a working
 * link — and then the relay; a client whose goodbye is held by a stall is given GOODBYE_MS, not forever.
 */
export async function startLinked(
  ctx: ClientContext,
  link: LinkSpec,
  start: (ctx: ClientContext) => Promise<FleetClient>,
): Promise<FleetClient> {
  const relay = await startRelay({
    clock: ctx.clock,
    target: ctx.target,
    link,
    seed: seedFor(link.seed ?? 1, ctx.clientId),
  });
  let client: FleetClient;
  try {
    client = await start({ ...ctx, target: { host: relay.host, port: relay.port } });
  } catch (err) {
    await relay.stop();
    throw err;
  }
  return {
    clientId: client.clientId,
    behaviour: client.behaviour,
    records: () => client.records(),
    done: client.done,
    link: relay,
    async stop() {
      const stopping = client.stop();
      const grace = new ScriptTimer(ctx.clock);
      await Promise.race([stopping, grace.sleep(GOODBYE_MS)]);
      grace.stop();
      await relay.stop();
      await stopping;
    },
  };
}
