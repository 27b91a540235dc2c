import { type ResumedMqttSession, resumeMqttSession } from "./mqtt-session.js";
import type { ReconnectPolicy } from "./reconnect-policy.js";
import type { ClientContext, FleetClient } from "./types.js";

/**
 * A behaviour's client that comes back after losing its connection: once its script has ended with its main
 * connection closed (kicked, reset, taken over), the same client id reconnects as a well-behaved MQTT.js client
 * (with ctx.clean) per `policy`, its connections recorded in the main record (`reconnectedAt`, the notes'
 * `reconnectAttempts` / `reconnectFailures`). A script that ends with its connection still open does not
 * reconnect. Stopping stops both.
 */
export function withReconnect(ctx: ClientContext, policy: ReconnectPolicy, client: FleetClient): FleetClient {
  const main = client.records()[0];
  let session: ResumedMqttSession | undefined;
  let stopped = false;
  const done = (async () => {
    await client.done;
    if (stopped || !main || main.closedAt === null) return;
    session = resumeMqttSession({ ...ctx, clientId: main.clientId }, main, policy);
    await session.done;
  })();
  return {
    ...client,
    done,
    async stop() {
      stopped = true;
      await Promise.all([session?.stop(), client.stop()]);
      await done;
    },
  };
}
