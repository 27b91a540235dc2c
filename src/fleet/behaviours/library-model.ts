import { clientModel } from "../../keepalive/clients/catalogue.js";
import type { ClientLibraryId } from "../../keepalive/clients/types.js";
import { openRaw } from "../open-raw.js";
import { rawFleetClient } from "../raw-fleet-client.js";
import { ScriptTimer } from "../script-timer.js";
import type { ClientContext, FleetClient } from "../types.js";

export interface LibraryModelParams {
  /** The client library whose keepalive MODEL this client follows (src/keepalive/clients). */
  library: ClientLibraryId;
  /** How often the application drives the library (mqtt_sync, loop()), clock ms. */
  loopIntervalMs: number;
}

/** PINGREQs planned ahead: enough for any scenario's few keepalives. */
const PINGS = 64;

/**
 * An idle client of a library that does not run here, played from its model: it sends its PINGREQs when the
 * model's library would (src/keepalive/clients, phase 0 of its clocks, on a healthy link) and gives up (FIN) when
 * the library would on a PINGREQ left unanswered. Its record says `library.real: false`.
 */
export async function startLibraryModel(
  ctx: ClientContext,
  params: LibraryModelParams,
): Promise<FleetClient> {
  const model = clientModel(params.library);
  const conn = await openRaw(ctx, "library-model");
  conn.record.library = { id: model.id, version: model.versions, real: false };
  const connectAt = conn.record.connectedAt ?? ctx.clock.now();
  const plan = model.idleRun(
    { keepaliveMs: ctx.keepaliveS * 1000, oneWayLatencyMs: 0, loopIntervalMs: params.loopIntervalMs },
    0,
    PINGS,
  );
  let answered = 0;
  conn.onPacket((p) => {
    if (p.cmd === "pingresp") answered++;
  });
  const timer = new ScriptTimer(ctx.clock);
  const script = (async () => {
    for (const [i, at] of plan.pingsAt.entries()) {
      if (!(await timer.sleep(Math.max(0, connectAt + at - ctx.clock.now()))) || !conn.isOpen) return;
      conn.send({ cmd: "pingreq" });
      const giveUpAt = plan.giveUpAt[i];
      if (giveUpAt === null || giveUpAt === undefined) continue;
      const sent = i + 1;
      const next = plan.pingsAt[i + 1];
      // waits for this PINGREQ's answer until the library would give up on it (or its next PINGREQ is due)
      const until = next === undefined ? giveUpAt : Math.min(giveUpAt, next);
      if (!(await timer.sleep(Math.max(0, connectAt + until - ctx.clock.now()))) || !conn.isOpen) return;
      if (answered < sent && until === giveUpAt) {
        conn.record.clientTimeoutAt = ctx.clock.now();
        conn.end();
        return;
      }
    }
    await conn.closed;
  })();
  return rawFleetClient(ctx.clientId, "library-model", [conn], timer, script);
}
