import { connectMqttClient } from "../mqtt-client.js";
import { type ClientContext, type FleetClient, newRecord } from "../types.js";

/** A well-behaved MQTT.js client: pings on time on the shared clock, and is never kicked by a correct broker. */
export async function startHealthy(ctx: ClientContext): Promise<FleetClient> {
  const record = newRecord(ctx.clientId, "healthy", ctx.keepaliveS, ctx.control ?? false);
  const c = await connectMqttClient(ctx, record);
  return {
    clientId: ctx.clientId,
    behaviour: "healthy",
    records: () => [record],
    done: c.closed,
    stop: () => c.end(),
  };
}
