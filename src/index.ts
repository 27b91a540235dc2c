/** The programmatic API. */

/** The embedded broker: startBroker, its options, limits, log lines and trace events. */
export * from "./broker/index.js";
export type { Clock } from "./core/clock.js";
export { manualClock, realClock, scaledClock } from "./core/clock.js";
export { UnreachableError, UsageError } from "./core/errors.js";
export type { Target } from "./core/target.js";
export { parseTarget } from "./core/target.js";
/** `classifyLog` is the design's name for classifyLogs. */
export { classifyLogs as classifyLog, classifyLogs, classifyText } from "./logs/classify.js";
export type { ProbeFinding } from "./probe/findings.js";
/** `probe` is the design's name for runProbe. */
export { runProbe as probe, runProbe } from "./probe/runner.js";
export type { ProbeOptions, ProbeResult } from "./probe/types.js";
export type { RunScenariosOptions } from "./scenarios/index.js";
export { loadScenario, runScenario, runScenarios, SCENARIO_CATALOGUE } from "./scenarios/index.js";
export { CATALOGUE } from "./signatures/catalogue.js";
