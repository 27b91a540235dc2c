import { halfOpen } from "./half-open.js";
import { highLatency } from "./high-latency.js";
import { networkStall } from "./network-stall.js";
import { pingrespLost } from "./pingresp-lost.js";
import type { ScenarioDefinition } from "./types.js";

/** The network-fault scenarios (issue 9), in NETWORK_SCENARIO_NAMES' order. */
export const NETWORK_SCENARIOS: readonly ScenarioDefinition[] = [
  networkStall,
  pingrespLost,
  halfOpen,
  highLatency,
];
