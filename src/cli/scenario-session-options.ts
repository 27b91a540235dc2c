import type { Command } from "commander";

/** `mqdiag scenario`'s session and reconnect options (issue 10); parsed by parseSessionScenarioOptions. */
export function withSessionScenarioOptions(cmd: Command): Command {
  return cmd;
}
