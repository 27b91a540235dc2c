import type { ClientContext, FleetClient } from "../types.js";
import { type CloseParams, startClosing } from "./close.js";

/** Connects, then sends DISCONNECT and closes: the one close no broker warns about. */
export function startClean(ctx: ClientContext, params: CloseParams): Promise<FleetClient> {
  return startClosing("clean", ctx, params);
}
