/** The network-fault scenarios' names (issue 9), in the order `all` runs them. */
export const NETWORK_SCENARIO_NAMES = [
  "network-stall",
  "pingresp-lost",
  "half-open",
  "high-latency",
] as const;
