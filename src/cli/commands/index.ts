import type { Command } from "commander";
import { registerBroker } from "./broker.js";
import { registerCapture } from "./capture.js";
import { registerClients } from "./clients.js";
import { registerConfig } from "./config.js";
import { registerExplain } from "./explain.js";
import { registerLogs } from "./logs.js";
import { registerProbe } from "./probe.js";
import { registerScenario } from "./scenario.js";

/** Each command lives in its own file and adds itself to the program here. */
export function registerCommands(program: Command): void {
  registerScenario(program);
  registerProbe(program);
  registerLogs(program);
  registerExplain(program);
  registerConfig(program);
  registerBroker(program);
  registerCapture(program);
  registerClients(program);
}
