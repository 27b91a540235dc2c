import type { Command } from "commander";
import { PROFILES } from "../core/profile.js";

/**
 * The broker-profile options that `mqdiag broker` and `mqdiag scenario` share, defined once so their names,
 * defaults and help stay the same. Read back with parseProfileOptions (src/core/options.ts).
 */
export function withProfileOptions(cmd: Command): Command {
  return cmd
    .option("--profile <name>", `broker profile: ${PROFILES.join(" | ")}`, "nanomq")
    .option("--retry-interval <duration>", "NanoMQ mqtt.retry_interval (Q)", "10s")
    .option("--keepalive-multiplier <m>", "NanoMQ mqtt.keepalive_multiplier (M)", "1.25")
    .option(
      "--nanomq-version <version>",
      "NanoMQ version whose log wording and reactions to copy: latest, or a version like 0.21.9, 0.25.3 or 0.21",
      "latest",
    )
    .option(
      "--tick-jitter <duration>",
      "nanomq, SIMULATED: each per-connection tick fires late by a uniform 0..duration (carried into later ticks)",
    )
    .option(
      "--tick-drift <percent>",
      "nanomq, SIMULATED: every tick interval longer by this (5%), or shorter (-20%: a fast timer)",
    )
    .option("--tick-seed <n>", "seed of --tick-jitter's draws (default 1)")
    .option(
      "--server-keepalive <s>",
      "spec: tell every MQTT 5 client this keepalive (CONNACK Server Keep Alive) whatever it asked",
    )
    .option(
      "--max-keepalive <s>",
      "spec, mosquitto (max_keepalive, 10 or more): an MQTT 5 client asking more, or 0, is told this; 3.1.1 clients keep theirs",
    );
}
