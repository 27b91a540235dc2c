import { startMqttSession } from "../mqtt-session.js";
import type { ReconnectPolicy } from "../reconnect-policy.js";
import { type ClientContext, type FleetClient, newRecord } from "../types.js";

export interface HealthyParams {
  /** What the client does after a drop (its own keepalive timeout, a broker close, a reset). Default none. */
  reconnect?: ReconnectPolicy;
}

/**
 * A well-behaved MQTT.js client: pings on time on the shared clock, and is never kicked by a correct broker. It
 * keeps MQTT.js's own keepalive, so on a bad link it may give up first ("Keepalive timeout": `clientTimeoutAt`),
 * and then reconnect as its policy says (`reconnectedAt`).
 */
export async function startHealthy(ctx: ClientContext, params: HealthyParams = {}): Promise<FleetClient> {
  const record = newRecord(ctx.clientId, "healthy", ctx.keepaliveS, ctx.control ?? false);
  const session = await startMqttSession(ctx, record, params.reconnect);
  return {
    clientId: ctx.clientId,
    behaviour: "healthy",
    records: () => [record],
    done: session.done,
    stop: () => session.stop(),
  };
}
