/** `mqdiag scenario`'s network-fault options (issue 9), raw as commander hands them over. */
export type RawNetworkScenarioOptions = Record<never, never>;

/** The network-fault options, parsed. */
export type NetworkScenarioOptions = Record<never, never>;

/** Validates the network-fault options; every problem is a UsageError. */
export function parseNetworkScenarioOptions(_raw: RawNetworkScenarioOptions): NetworkScenarioOptions {
  return {};
}
