import { afterEach, describe, expect, it } from "vitest";
import { startBroker } from "../../../src/broker/index.js";
import type { Broker, BrokerLogLine, TraceEvent } from "../../../src/broker/types.js";
import { realClock } from "../../../src/core/clock.js";
import { embeddedTarget } from "../../../src/scenarios/embedded-target.js";
import { type RawClient, rawConnectMqtt } from "../../helpers/raw-client.js";

/**
 * A bug inside the embedded broker must never look like broker behaviour: the broker's own output is "which lines
 * the real broker prints". The bug is provoked through a fault hook (the hooks scenarios use) that throws while
 * the PINGREQ handler consults it.
 */
const PINGREQ = Buffer.from([0xc0, 0x00]);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function pingThrough(port: number, clientId: string): Promise<RawClient> {
  const client = await rawConnectMqtt(port, { clientId, keepalive: 60 });
  cleanups.push(() => client.destroy());
  client.send(PINGREQ);
  return client;
}

describe("an internal error in the embedded broker", () => {
  it.each(["nanomq", "mosquitto", "spec"] as const)(
    "%s: closes that connection with no log line, is traced with its message and counted",
    async (profile) => {
      const broker: Broker = await startBroker({ profile, clock: realClock(), host: "127.0.0.1", port: 0 });
      cleanups.push(() => broker.close());
      const lines: BrokerLogLine[] = [];
      const trace: TraceEvent[] = [];
      broker.on("log", (line) => lines.push(line));
      broker.on("trace", (event) => trace.push(event));
      broker.faults.withholdPingresp = () => {
        throw new Error("fault hook exploded");
      };
      const client = await pingThrough(broker.port, "victim");
      const end = await client.waitForEnd(5000);
      expect(end.kind).toBe("fin");
      expect(broker.stats().internalErrors).toBe(1);
      expect(trace).toContainEqual(
        expect.objectContaining({
          type: "internal-error",
          clientId: "victim",
          message: "fault hook exploded",
        }),
      );
      expect(trace).toContainEqual(expect.objectContaining({ type: "close", cause: "internal-error" }));
      // the connect lines before the bug and nothing after it: no recv error, rv, offline or close line
      expect(lines.filter((l) => l.signature !== "client-connected")).toEqual([]);
    },
  );

  it("fails the scenario run: the embedded target's close throws, naming the client and the message", async () => {
    const target = await embeddedTarget({
      profile: "nanomq",
      retryIntervalMs: 10_000,
      keepaliveMultiplier: 1.25,
      nanomqVersion: [0, 25, 3],
    })(realClock());
    const faults = target.faults;
    if (!faults) throw new Error("the embedded target has fault hooks");
    faults.withholdPingresp = () => {
      throw new Error("fault hook exploded");
    };
    const client = await pingThrough(target.endpoint.port, "scenario-victim");
    expect((await client.waitForEnd(5000)).kind).toBe("fin");
    await expect(target.close()).rejects.toThrow(
      /embedded broker failed on scenario-victim: fault hook exploded/,
    );
  });
});
