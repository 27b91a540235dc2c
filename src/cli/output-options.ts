import type { Command } from "commander";

export const FORMATS = ["table", "json", "junit"] as const;
export type Format = (typeof FORMATS)[number];

/**
 * Adds the common output options (`--format`, `--output`, `--no-color`, `--verbose`) to a command. Kept apart
 * from output.ts (chalk, fs) so that registering a command loads nothing but commander.
 */
export function withOutputOptions(cmd: Command, formats: readonly Format[] = FORMATS): Command {
  return cmd
    .addOption(cmd.createOption("--format <format>", `output format: ${formats.join("|")}`).default("table"))
    .option("--output <file>", "write the report to a file instead of stdout")
    .option("--no-color", "no colours (NO_COLOR and FORCE_COLOR are honoured too)")
    .option("--verbose", "on an internal error, print its stack trace too (as MQDIAG_DEBUG=1 does)");
}
