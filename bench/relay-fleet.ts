import type { Clock } from "../src/core/clock.js";
import { openRaw } from "../src/fleet/open-raw.js";
import type { RawClient } from "../src/fleet/raw-client.js";
import type { FleetTarget } from "../src/fleet/types.js";
import { type Relay, startRelay } from "../src/link/index.js";

/** One bench client: a raw fleet connection, direct to the broker or behind its own fault-free relay. */
export interface BenchClient {
  kind: "direct" | "relay";
  client: RawClient;
  relay?: Relay;
  /** TCP open + CONNECT → CONNACK, real ms (through the relay: dial the relay, the relay dials the broker). */
  connectMs: number;
  /** startRelay() (listen on a loopback port), real ms; 0 for direct clients. */
  relayStartMs: number;
}

export async function connectBenchClient(
  clock: Clock,
  broker: FleetTarget,
  kind: "direct" | "relay",
  clientId: string,
): Promise<BenchClient> {
  let relayStartMs = 0;
  let relay: Relay | undefined;
  let target = broker;
  if (kind === "relay") {
    const t0 = performance.now();
    // exactly what a fleet client with `link: { faults: [] }` gets (src/fleet/linked-client.ts)
    relay = await startRelay({ clock, target: broker, link: { faults: [] } });
    relayStartMs = performance.now() - t0;
    target = { host: relay.host, port: relay.port };
  }
  const t0 = performance.now();
  const client = await openRaw({ clock, target, clientId, keepaliveS: 600 }, "healthy");
  return { kind, client, relay, connectMs: performance.now() - t0, relayStartMs };
}

/** One PINGREQ → PINGRESP, real ms. */
export async function pingMs(c: BenchClient): Promise<number> {
  const t0 = performance.now();
  c.client.send({ cmd: "pingreq" });
  const got = await c.client.waitFor("pingresp", 30_000);
  if (!got) throw new Error(`no PINGRESP for ${c.client.record.clientId}`);
  return performance.now() - t0;
}

export async function closeBenchClient(c: BenchClient): Promise<void> {
  c.client.destroy();
  await c.client.closed;
  await c.relay?.stop();
}
