import type { Command } from "commander";
import { UsageError } from "../../core/errors.js";

// Placeholder until the command lands; replaced by its implementation.
export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description("(not implemented yet)")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new UsageError("explain: not implemented yet");
    });
}
