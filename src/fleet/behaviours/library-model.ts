import { clientModel } from "../../keepalive/clients/catalogue.js";
import { pingsWith } from "../../keepalive/clients/server-keepalive.js";
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
  /** The link's one-way latency its plan counts with (a PINGRESP comes back 2 × this later); default 0. */
  oneWayLatencyMs?: number;
  /** MQTT 5 (to be told a Server Keep Alive) or 3.1.1 (default: the fleet's). */
  protocolVersion?: 4 | 5;
  /** The real library was asked for and cannot run here: why (the record says it). */
  notRealBecause?: string;
}

/** PINGREQs planned ahead: enough for any scenario's few keepalives. */
const PINGS = 64;

/**
 * An idle client of a library that does not run here, played from its model: it sends its PINGREQs when the
 * model's library would (src/keepalive/clients, phase 0 of its clocks, on a healthy link) and gives up (FIN, after a
 * DISCONNECT where the library sends one) when the library would on a PINGREQ left unanswered, sending no other
 * PINGREQ while one is outstanding (a library that never gives up keeps its rhythm). Its record says
 * `library.real: false`.
 */
export async function startLibraryModel(
  ctx: ClientContext,
  params: LibraryModelParams,
): Promise<FleetClient> {
  const model = clientModel(params.library);
  const version = params.protocolVersion ?? ctx.protocolVersion;
  const conn = await openRaw(
    version === undefined ? ctx : { ...ctx, protocolVersion: version },
    "library-model",
  );
  conn.record.library = {
    id: model.id,
    version: model.versions,
    real: false,
    ...(params.notRealBecause === undefined ? {} : { notRealBecause: params.notRealBecause }),
  };
  const connectAt = conn.record.connectedAt ?? ctx.clock.now();
  // [MQTT-3.1.2-21] (5.0) a CONNACK's Server Keep Alive replaces its keepalive — if the library listens
  const keepaliveS = pingsWith(model, ctx.keepaliveS, conn.serverKeepAliveS);
  const plan = model.idleRun(
    {
      keepaliveMs: keepaliveS * 1000,
      oneWayLatencyMs: params.oneWayLatencyMs ?? 0,
      loopIntervalMs: params.loopIntervalMs,
    },
    0,
    PINGS,
  );
  let answered = 0;
  conn.onPacket((p) => {
    if (p.cmd === "pingresp") answered++;
  });
  const timer = new ScriptTimer(ctx.clock);
  const script = (async () => {
    const until = async (at: number) =>
      (await timer.sleep(Math.max(0, connectAt + at - ctx.clock.now()))) && conn.isOpen;
    for (const [i, at] of plan.pingsAt.entries()) {
      if (!(await until(at))) return;
      conn.send({ cmd: "pingreq" });
      const giveUpAt = plan.giveUpAt[i];
      // a library that never gives up keeps its rhythm whether or not its PINGREQs are answered (MQTT-C)
      if (giveUpAt === null || giveUpAt === undefined) continue;
      const sent = i + 1;
      // with a PINGREQ outstanding it sends no other: it waits for the PINGRESP until it would give up on it
      const next = plan.pingsAt[i + 1];
      if (next !== undefined && next < giveUpAt) {
        if (!(await until(next))) return;
        if (answered >= sent) continue;
      }
      if (!(await until(giveUpAt))) return;
      if (answered < sent) {
        // it closes its socket (FIN), after a DISCONNECT where its library sends one: gone from its side at once,
        // whatever the link does with either
        conn.record.clientTimeoutAt = ctx.clock.now();
        if (model.disconnectsOnGiveUp.sends) conn.send({ cmd: "disconnect" });
        conn.destroy();
        await conn.closed;
        return;
      }
    }
    await conn.closed;
  })();
  return rawFleetClient(ctx.clientId, "library-model", [conn], timer, script);
}
