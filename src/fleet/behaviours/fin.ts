import type { ClientContext, FleetClient } from "../types.js";
import { type CloseParams, startClosing } from "./close.js";

/** Connects, then closes the TCP connection (FIN) without sending DISCONNECT. */
export function startFin(ctx: ClientContext, params: CloseParams): Promise<FleetClient> {
  return startClosing("fin", ctx, params);
}
