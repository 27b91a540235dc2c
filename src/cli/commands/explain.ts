import type { Command } from "commander";
import { withOutputOptions } from "../output-options.js";

const EXAMPLES = `
Examples:
  mqdiag explain                                   every signature and incident kind
  mqdiag explain keepalive-timeout                 meaning, causes, checks, fixes, spec, scenario
  mqdiag explain 139                               what an rv means (also 0x8b)
  mqdiag explain "nni aio recv error!! Object closed"   a pasted log line
  mqdiag explain parse-error --format json`;

/** `mqdiag explain [signature|rv|line]` (issue 5). */
export function registerExplain(program: Command): void {
  const cmd = program
    .command("explain")
    .description("what a broker log signature means: causes, checks, fixes, spec references")
    .argument("[query...]", "a signature id, an incident kind, an rv number, or a log line (quote it)")
    .addHelpText("after", EXAMPLES);
  withOutputOptions(cmd, ["table", "json"]).action(async (words: string[], raw: Record<string, string>) => {
    const { runExplain } = await import("./explain-run.js");
    process.exitCode = await runExplain(words, raw);
  });
}
