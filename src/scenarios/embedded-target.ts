import { startBroker } from "../broker/index.js";
import type { TraceEvent } from "../broker/types.js";
import type { ProfileOptions } from "../core/profile.js";
import { observeBrokerLine } from "./observe.js";
import type { TargetFactory } from "./target.js";
import type { ObservedSignature } from "./types.js";

/** An exception inside the embedded broker: mqdiag's bug, reported as one (src/cli/main.ts: exit 70). */
export class EmbeddedBrokerBug extends Error {
  constructor(message: string, clientId: string | null) {
    super(`the embedded broker failed on ${clientId ?? "a connection before CONNECT"}: ${message}`);
  }
}

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
    // a bug of the embedded broker fails the run (exit 70, "this is a bug"), never a reproduced scenario
    const bugs = () => trace.filter((e) => e.type === "internal-error");
    return {
      kind: "embedded",
      endpoint: { host: broker.host, port: broker.port },
      faults: broker.faults,
      brokerObserved: true,
      signatures: () => seen,
      trace: () => trace,
      flush: async () => {},
      close: async () => {
        await broker.close();
        const [bug] = bugs();
        if (bug) throw new EmbeddedBrokerBug(bug.message, bug.clientId);
      },
    };
  };
}
