import { UsageError } from "../../core/errors.js";
import { MALFORMED_NAMES, malformedVariant } from "../malformed.js";
import { openRaw } from "../open-raw.js";
import { rawFleetClient } from "../raw-fleet-client.js";
import { ScriptTimer } from "../script-timer.js";
import type { ClientContext, FleetClient } from "../types.js";

export interface MalformedParams {
  /** A variant name of src/fleet/malformed.ts. */
  variant: string;
  /** Clock ms to wait for the broker to close after the bad bytes; then the client closes (FIN). */
  waitCloseMs: number;
}

/**
 * Sends one named malformed packet after a good CONNECT (or instead of it, for `beforeConnect` variants) and
 * waits for the broker's reaction: [MQTT-4.8.0-1] (3.1.1) / [MQTT-4.13.1-1] (5.0) say it closes the connection.
 * `notes.brokerClosed` records whether it did within the wait.
 */
export async function startMalformed(ctx: ClientContext, params: MalformedParams): Promise<FleetClient> {
  const variant = malformedVariant(params.variant);
  if (!variant) {
    throw new UsageError(
      `--malformed: unknown variant "${params.variant}" (choose ${MALFORMED_NAMES.join(", ")})`,
    );
  }
  const conn = await openRaw(ctx, "malformed", { connect: !variant.beforeConnect });
  conn.record.notes.variant = variant.name;
  const timer = new ScriptTimer(ctx.clock);
  conn.write(variant.bytes, variant.name);
  const script = (async () => {
    const closed = await conn.waitClosed(params.waitCloseMs);
    conn.record.notes.brokerClosed = closed && conn.record.closedBy === "broker";
    if (!closed && !timer.isStopped) {
      conn.end();
      await conn.closed;
    }
  })();
  return rawFleetClient(ctx.clientId, "malformed", [conn], timer, script);
}
