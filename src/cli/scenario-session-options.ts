import type { Command } from "commander";

/** `mqdiag scenario`'s session and reconnect options (issue 10); parsed by parseSessionScenarioOptions. */
export function withSessionScenarioOptions(cmd: Command): Command {
  return cmd
    .option(
      "--lose <kick|reset|stall>",
      "session-resume: how the subscriber loses its connection (default kick)",
    )
    .option("--messages <n>", "session-resume: messages published per QoS while it is away (default 10)")
    .option(
      "--resume-wait <d>",
      "session-resume: how long deliveries are counted after it is back (default 4s)",
    )
    .option("--qos <list>", "session-resume: QoS levels to run, e.g. 1,2 (default 0,1,2)");
}
