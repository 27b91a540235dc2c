import { openRaw } from "../open-raw.js";
import type { RawClient } from "../raw-client.js";
import { rawFleetClient } from "../raw-fleet-client.js";
import { ScriptTimer } from "../script-timer.js";
import type { ClientContext, FleetClient } from "../types.js";

export interface TakeoverParams {
  /** Clock ms after the first CONNACK before the second connection with the same client id. */
  afterMs: number;
  /** Clock ms to wait for the broker to close the first connection. */
  waitCloseMs: number;
}

/**
 * Connects, then opens a second connection with the same client id: [MQTT-3.1.4-2] the broker disconnects the
 * first (MQTT 5: DISCONNECT 0x8E). The second stays connected until the scenario stops it (DISCONNECT).
 */
export async function startTakeover(ctx: ClientContext, params: TakeoverParams): Promise<FleetClient> {
  const first = await openRaw(ctx, "takeover");
  const connections: RawClient[] = [first];
  const timer = new ScriptTimer(ctx.clock);
  const script = (async () => {
    if (!(await timer.sleep(params.afterMs))) return;
    const second = await openRaw(ctx, "second-connection");
    connections.push(second);
    first.record.notes.takenOver = await first.waitClosed(params.waitCloseMs);
  })();
  const client = rawFleetClient(ctx.clientId, "takeover", connections, timer, script);
  return {
    ...client,
    async stop() {
      for (const c of connections.slice(1)) c.disconnect();
      await client.stop();
    },
  };
}
