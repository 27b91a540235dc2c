import { openRaw } from "../open-raw.js";
import { rawFleetClient } from "../raw-fleet-client.js";
import { ScriptTimer } from "../script-timer.js";
import type { ClientContext, FleetClient } from "../types.js";

export interface NoConnectParams {
  /** Clock ms to wait for the broker to give up on the missing CONNECT (NanoMQ: 15 s). */
  waitCloseMs: number;
}

/** Opens TCP and never sends CONNECT. `connectedAt` is the TCP connect; `notes.brokerClosed` says if it gave up. */
export async function startNoConnect(ctx: ClientContext, params: NoConnectParams): Promise<FleetClient> {
  const conn = await openRaw(ctx, "no-connect", { connect: false });
  const timer = new ScriptTimer(ctx.clock);
  const script = (async () => {
    const closed = await conn.waitClosed(params.waitCloseMs);
    conn.record.notes.brokerClosed = closed && conn.record.closedBy === "broker";
    if (!closed && !timer.isStopped) conn.end();
    await conn.closed;
  })();
  return rawFleetClient(ctx.clientId, "no-connect", [conn], timer, script);
}
