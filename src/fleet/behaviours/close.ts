import { openRaw } from "../open-raw.js";
import { rawFleetClient } from "../raw-fleet-client.js";
import { ScriptTimer } from "../script-timer.js";
import type { ClientContext, FleetClient } from "../types.js";

export interface CloseParams {
  /** Clock ms after CONNACK before the client closes. */
  afterMs: number;
}

type CloseBehaviour = "rst" | "fin" | "clean";

/** Shared by rst, fin and clean: connect, stay a while, then close the chosen way. */
export async function startClosing(
  behaviour: CloseBehaviour,
  ctx: ClientContext,
  params: CloseParams,
): Promise<FleetClient> {
  const conn = await openRaw(ctx, behaviour);
  const timer = new ScriptTimer(ctx.clock);
  const script = (async () => {
    if (!(await timer.sleep(params.afterMs)) || !conn.isOpen) return;
    if (behaviour === "rst") conn.reset();
    else if (behaviour === "fin") conn.end();
    else conn.disconnect();
    await conn.closed;
  })();
  return rawFleetClient(ctx.clientId, behaviour, [conn], timer, script);
}
