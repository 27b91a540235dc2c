import { Command } from "commander";
import { registerCommands } from "./commands/index.js";

/**
 * mqdiag's commander program with every command registered. main.ts imports this module only when a command (or
 * --help) runs, so `--version` loads neither commander nor any command; registering loads each command's options
 * only, and a command's action imports the modules it needs (the broker, MQTT.js, the fleet) when it runs.
 */
export function createProgram(version: string): Command {
  const program = new Command("mqdiag")
    .description("Reproduce, measure and explain why MQTT brokers drop clients.")
    .version(version, "-V, --version")
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, "mqdiag: ")) });
  registerCommands(program);
  return program;
}
