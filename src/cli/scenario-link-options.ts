import type { Command } from "commander";

/**
 * `mqdiag scenario`'s link options (issue 9): every scenario's subject clients dial through a link with these
 * faults (the control client never does); parsed by parseUserLink (src/scenarios/network-options.ts, which reuses
 * the link's parseLinkOptions). Durations in scenario time. Listed under their own heading in --help.
 */
export function withLinkOptions(cmd: Command): Command {
  const previous = cmd.optionsGroup();
  cmd
    .optionsGroup("Link options (every scenario's subject clients):")
    .option("--latency <d>", "hold each chunk this long (e.g. 300ms)")
    .option("--jitter <d>", "± up to this much around --latency (uniform, order kept)")
    .option("--bandwidth <rate>", "at most this rate each way, e.g. 64KB/s")
    .option("--stall-at <d>", "from then on hold every byte, FIN and RST (a half-open link)")
    .option("--stall-for <d|forever>", "how long the stall lasts (default forever)")
    .option("--stall-release <flush|strand>", "at the stall's end deliver what was held, or not")
    .option("--stall-scope <all|existing>", "hold new connections too (all), or only those open (existing)")
    .option("--slow-close <d>", "pass a FIN or RST on this much later")
    .option("--reset-at <d>", "reset (RST) every open connection then")
    .option("--link-direction <to-broker|to-client|both>", "which way the faults above act (default both)")
    .option("--drop <pingreq,pingresp>", "drop every PINGREQ and/or PINGRESP")
    .option("--delay-pingreq <d>", "hold each PINGREQ (and what follows it) this long")
    .option("--delay-pingresp <d>", "hold each PINGRESP (and what follows it) this long")
    .option("--link-seed <n>", "seed of the jitter and reconnect-jitter PRNG (default 1)");
  return cmd.optionsGroup(previous);
}
