import { startBroker } from "../broker/index.js";
import type { TraceEvent } from "../broker/types.js";
import type { ProfileOptions } from "../core/profile.js";
import { observeBrokerLine } from "./observe.js";
import type { TargetFactory } from "./target.js";
import type { ObservedSignature } from "./types.js";

/** A fresh embedded broker per scenario, on the scenario's clock, on a free loopback port. */
export function embeddedTarget(profile: ProfileOptions): TargetFactory {
  return async (clock) => {
    const broker = await startBroker({ ...profile, clock, host: "127.0.0.1", port: 0 });
    const seen: ObservedSignature[] = [];
    const trace: TraceEvent[] = [];
    broker.on("log", (line) => {
      const observed = observeBrokerLine(line);
      if (observed) seen.push(observed);
    });
    broker.on("trace", (event) => trace.push(event));
    return {
      kind: "embedded",
      endpoint: { host: broker.host, port: broker.port },
      faults: broker.faults,
      brokerObserved: true,
      signatures: () => seen,
      trace: () => trace,
      flush: async () => {},
      close: () => broker.close(),
    };
  };
}
