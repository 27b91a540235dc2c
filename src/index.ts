/** The programmatic API. */
export type { Clock } from "./core/clock.js";
export { manualClock, realClock, scaledClock } from "./core/clock.js";
export { UnreachableError, UsageError } from "./core/errors.js";
export { CATALOGUE } from "./signatures/catalogue.js";
