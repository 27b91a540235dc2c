import type { Command } from "commander";
import { UsageError } from "../../core/errors.js";

// Placeholder until the command lands; replaced by its implementation.
export function registerProbe(program: Command): void {
  program
    .command("probe")
    .description("(not implemented yet)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new UsageError("probe: not implemented yet");
    });
}
