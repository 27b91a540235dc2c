import type { ClientContext, FleetClient } from "../types.js";
import { type CloseParams, startClosing } from "./close.js";

/** Connects, then resets the TCP connection (SO_LINGER 0, `socket.resetAndDestroy()`): the broker sees ECONNRESET. */
export function startRst(ctx: ClientContext, params: CloseParams): Promise<FleetClient> {
  return startClosing("rst", ctx, params);
}
