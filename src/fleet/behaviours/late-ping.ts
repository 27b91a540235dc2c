import { openRaw } from "../open-raw.js";
import { rawFleetClient } from "../raw-fleet-client.js";
import { ScriptTimer } from "../script-timer.js";
import type { ClientContext, FleetClient } from "../types.js";

export interface LatePingParams {
  /** Send one PINGREQ on time (1 × keepalive after CONNECT) first. Default true. */
  pingOnTime?: boolean;
  /**
   * Clock ms between PINGREQs after the on-time one (e.g. 1.6 × keepalive), repeated while the connection
   * lives; null = never ping again.
   */
  intervalMs: number | null;
}

/** Pings on time once, then every `intervalMs` (late), or never: the field report's late pinger. */
export async function startLatePing(ctx: ClientContext, params: LatePingParams): Promise<FleetClient> {
  const conn = await openRaw(ctx, "late-ping");
  const timer = new ScriptTimer(ctx.clock);
  const script = (async () => {
    if (params.pingOnTime !== false) {
      if (!(await timer.sleep(ctx.keepaliveS * 1000)) || !conn.isOpen) return;
      conn.send({ cmd: "pingreq" });
    }
    if (params.intervalMs === null) return void (await conn.closed);
    while (await timer.sleep(params.intervalMs)) {
      if (!conn.isOpen) return;
      conn.send({ cmd: "pingreq" });
    }
  })();
  return rawFleetClient(ctx.clientId, "late-ping", [conn], timer, script);
}
