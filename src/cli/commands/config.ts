import type { Command } from "commander";
import { withOutputOptions } from "../output-options.js";

export const FORMATS = ["table", "json"] as const;

/** The keepalives `config` predicts for by default (DEFAULT_KEEPALIVES_S of config-report, which a test pins). */
export const DEFAULT_KEEPALIVES = "10,30,60,120";

const EXAMPLES = `
Examples:
  mqdiag config /etc/nanomq.conf                        keepalives 10, 30, 60, 120 s
  mqdiag config nanomq.conf --keepalive 5,60 --format json --output config.json
  mqdiag config nanomq_old.conf                         the old flat format is detected (keepalive_backoff=1250: the trap)
  mqdiag config my.conf --old-conf                      read it as \`nanomq start --old_conf my.conf\` would
  mqdiag config /etc/emqx/emqx.conf                     EMQX 5: keepalive_multiplier, check interval, backoff
  mqdiag config /etc/mosquitto/mosquitto.conf           mosquitto 2.0: max_keepalive and what clients get

The broker is told by the file name (emqx, mosquitto, nanomq in it), else by the content, or --broker. For NanoMQ
the format is detected from what its two readers take from the file (a multi-line { } block: HOCON; qos_duration /
keepalive_backoff lines: the flat format); NanoMQ itself reads the flat format only with --old_conf. EMQX's numbers
come from its source, not from a run.
Exit status: 0 read · 1 a finding of severity error (the backoff trap, a 0 s retry interval, compliant clients
kicked, a value the broker refuses) · 2 missing/unreadable file, a file that is none of these, or a bad option.`;

export function registerConfig(program: Command): void {
  const cmd = program
    .command("config")
    .description(
      "effective keepalive settings of a nanomq.conf, emqx.conf or mosquitto.conf: traps, kick window, safe ping",
    )
    .argument("<file>", "a NanoMQ config (HOCON or the old flat format), an emqx.conf or a mosquitto.conf")
    .option(
      "--broker <name>",
      "read the file as this broker's config: nanomq, emqx or mosquitto (default: detected)",
    )
    .option("--keepalive <seconds,...>", "client keepalives to predict for", DEFAULT_KEEPALIVES)
    .option("--old-conf", "read the file as the old flat format, as `nanomq start --old_conf <file>` does")
    .addHelpText("after", EXAMPLES);
  withOutputOptions(cmd, FORMATS).action(async (file: string, raw: Record<string, string | boolean>) => {
    const { runConfig } = await import("./config-run.js");
    process.exitCode = await runConfig(file, raw);
  });
}
