import type { BrokerFaults, TraceEvent } from "../broker/types.js";
import type { Clock } from "../core/clock.js";
import type { FleetTarget } from "../fleet/types.js";
import type { ObservedSignature } from "./types.js";

/** The broker one scenario runs against, on that scenario's clock: embedded (fresh per scenario) or external. */
export interface ScenarioTarget {
  readonly kind: "embedded" | "external";
  readonly endpoint: FleetTarget;
  readonly faults: BrokerFaults | undefined;
  /** The broker's side is observed (embedded, or an external broker with --broker-log). */
  readonly brokerObserved: boolean;
  signatures(): readonly ObservedSignature[];
  trace(): readonly TraceEvent[];
  /** Reads anything pending (an external log) so far. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export type TargetFactory = (clock: Clock) => Promise<ScenarioTarget>;
