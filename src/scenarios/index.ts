export { type CatalogueEntry, SCENARIO_CATALOGUE, SCENARIO_NAMES } from "./catalogue.js";
export { loadScenario, resolveScenarioNames } from "./load-scenario.js";
export { type RunScenariosOptions, runScenarios } from "./run-scenarios.js";
export { runDefinition, runScenario } from "./runner.js";
export * from "./types.js";
