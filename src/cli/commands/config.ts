import type { Command } from "commander";
import { UsageError } from "../../core/errors.js";

// Placeholder until the command lands; replaced by its implementation.
export function registerConfig(program: Command): void {
  program
    .command("config")
    .description("(not implemented yet)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new UsageError("config: not implemented yet");
    });
}
