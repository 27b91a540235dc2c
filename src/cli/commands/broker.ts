import type { Command } from "commander";
import { UsageError } from "../../core/errors.js";

// Placeholder until the command lands; replaced by its implementation.
export function registerBroker(program: Command): void {
  program
    .command("broker")
    .description("(not implemented yet)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new UsageError("broker: not implemented yet");
    });
}
