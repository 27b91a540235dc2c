import type { Command } from "commander";

/**
 * `mqdiag scenario`'s network-fault options (issue 9); parsed by parseNetworkScenarioOptions
 * (src/scenarios/network-options.ts, which reuses the link's parseLinkOptions). Durations in scenario time.
 */
export function withNetworkScenarioOptions(cmd: Command): Command {
  return cmd
    .option("--latency <d>", "link: hold each chunk this long (e.g. 300ms), the subject clients' link")
    .option("--jitter <d>", "link: ± up to this much around --latency (uniform, order kept)")
    .option("--bandwidth <rate>", "link: at most this rate each way, e.g. 64KB/s")
    .option("--stall-at <d>", "link: from then on hold every byte, FIN and RST (a half-open link)")
    .option("--stall-for <d|forever>", "link: how long the stall lasts (default forever)")
    .option("--stall-release <flush|strand>", "link: at the stall's end deliver what was held, or not")
    .option(
      "--stall-scope <all|existing>",
      "link: hold new connections too (all), or only those open (existing)",
    )
    .option("--slow-close <d>", "link: pass a FIN or RST on this much later")
    .option("--reset-at <d>", "link: reset (RST) every open connection then")
    .option(
      "--link-direction <to-broker|to-client|both>",
      "link: which way the faults above act (default both)",
    )
    .option("--drop <pingreq,pingresp>", "link: drop every PINGREQ and/or PINGRESP")
    .option("--delay-pingreq <d>", "link: hold each PINGREQ (and what follows it) this long")
    .option("--delay-pingresp <d>", "link: hold each PINGRESP (and what follows it) this long")
    .option("--link-seed <n>", "link: seed of the jitter and reconnect-jitter PRNG (default 1)")
    .option(
      "--reconnect <none|immediate|backoff>",
      "network-stall, pingresp-lost: what the client does after it gave up (default immediate)",
    )
    .option(
      "--reconnect-delay <d>",
      "immediate: wait between failed attempts; backoff: first wait (default 1s)",
    )
    .option("--reconnect-max <d>", "backoff: the longest wait (default 30s)")
    .option("--reconnect-jitter <0-1>", "backoff: each wait cut by up to this fraction (default 0.5)");
}
