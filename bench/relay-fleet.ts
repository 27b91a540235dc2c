import type { Clock } from "../src/core/clock.js";
import { openRaw } from "../src/fleet/open-raw.js";
import type { RawClient } from "../src/fleet/raw-client.js";
import type { FleetTarget } from "../src/fleet/types.js";
import { type Relay, startRelay } from "../src/link/index.js";
import { startRelayHere } from "../src/link/relay.js";
import type { ThreadHooks } from "../src/link/thread-hooks.js";

/**
 * One bench client: a raw fleet connection, direct to the broker or behind its own fault-free relay — in the
 * relays' thread, as every relay runs (`relay`), or on this thread, as they ran before they had one (`relay-here`:
 * the reference for what the thread changes). `direct-again`: a second direct fleet, the same as `direct`, whose
 * difference from it is the bench's own noise.
 */
export interface BenchClient {
  kind: "direct" | "direct-again" | "relay" | "relay-here";
  client: RawClient;
  relay?: Relay;
  /** TCP open + CONNECT → CONNACK, real ms (through the relay: dial the relay, the relay dials the broker). */
  connectMs: number;
  /** startRelay() (listen on a loopback port), real ms; 0 for direct clients. */
  relayStartMs: number;
}

/** A relay on this thread reports to no thread: nothing to publish, every handler just runs. */
const THIS_THREAD: ThreadHooks = { track: () => {}, guard: (fn) => fn(), touch: () => {}, event: () => {} };

export async function connectBenchClient(
  clock: Clock,
  broker: FleetTarget,
  kind: BenchClient["kind"],
  clientId: string,
): Promise<BenchClient> {
  let relayStartMs = 0;
  let relay: Relay | undefined;
  let target = broker;
  if (kind === "relay" || kind === "relay-here") {
    const t0 = performance.now();
    // exactly what a fleet client with `link: { faults: [] }` gets (src/fleet/linked-client.ts), or that on this thread
    const options = { clock, target: broker, link: { faults: [] } };
    relay = kind === "relay" ? await startRelay(options) : await startRelayHere(options, THIS_THREAD);
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
