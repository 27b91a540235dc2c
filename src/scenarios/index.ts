export { resolveScenarioNames, SCENARIOS, scenarioDefinition } from "./registry.js";
export { type RunScenariosOptions, runScenarios } from "./run-scenarios.js";
export { runScenario } from "./runner.js";
export * from "./types.js";
