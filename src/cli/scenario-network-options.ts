import type { Command } from "commander";

/** `mqdiag scenario`'s network-fault options (issue 9); parsed by parseNetworkScenarioOptions. */
export function withNetworkScenarioOptions(cmd: Command): Command {
  return cmd;
}
