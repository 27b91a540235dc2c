import { afterEach, describe, expect, it } from "vitest";
import { startBroker, type TraceEvent } from "../../../src/broker/index.js";
import { scaledClock } from "../../../src/core/clock.js";
import { startClient } from "../../../src/fleet/behaviour-spec.js";
import type { FleetClient } from "../../../src/fleet/types.js";
import type { ClientLibraryId } from "../../../src/keepalive/clients/types.js";

/**
 * A model-only library's give-up on a PINGREQ left unanswered (the embedded broker withholds every PINGRESP): a
 * DISCONNECT before its FIN where its model says the library sends one (Paho C, measured), the FIN alone where
 * not (Paho Python). Real sockets, the embedded NanoMQ profile (Q 10 s: no kick within the run), a ×10 clock.
 */
const SCALE = 10;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function giveUp(library: ClientLibraryId): Promise<{ packets: string[]; cause: string }> {
  const clock = scaledClock(SCALE);
  const broker = await startBroker({ port: 0, clock, profile: "nanomq", retryIntervalMs: 10_000 });
  stops.push(() => broker.close());
  broker.faults.withholdPingresp = () => true;
  const trace: TraceEvent[] = [];
  broker.on("trace", (e) => trace.push(e));
  const client: FleetClient = await startClient(
    { clock, target: broker, clientId: library, keepaliveS: 2 },
    { behaviour: "library-model", library, loopIntervalMs: 100 },
  );
  stops.push(() => client.stop());
  const deadline = performance.now() + 5000; // its give-up by ~7 clock s: 0.7 real s
  let close: Extract<TraceEvent, { type: "close" }> | undefined;
  while (!close) {
    if (performance.now() > deadline) throw new Error(`${library}: no close`);
    await new Promise((r) => setTimeout(r, 10));
    close = trace.find((e): e is Extract<TraceEvent, { type: "close" }> => e.type === "close");
  }
  const packets = trace.flatMap((e) => (e.type === "packet-in" ? [e.packet] : []));
  return { packets, cause: close.cause };
}

describe("library-model: the give-up", () => {
  it("Paho C's model sends DISCONNECT, then closes: the broker closes for the DISCONNECT", async () => {
    expect(await giveUp("paho-c")).toEqual({
      packets: ["connect", "pingreq", "disconnect"],
      cause: "disconnect",
    });
  });

  it("Paho Python's model closes without one: the broker sees the FIN", async () => {
    expect(await giveUp("paho-python")).toEqual({ packets: ["connect", "pingreq"], cause: "peer-closed" });
  });
});
