import type { Command } from "commander";
import { UsageError } from "../../core/errors.js";

// Placeholder until the command lands; replaced by its implementation.
export function registerScenario(program: Command): void {
  program
    .command("scenario")
    .description("(not implemented yet)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new UsageError("scenario: not implemented yet");
    });
}
