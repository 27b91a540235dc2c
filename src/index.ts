/** The programmatic API. */

export type {
  Broker,
  BrokerFaults,
  BrokerLogLine,
  BrokerOptions,
  BrokerStats,
  CloseCause,
  TraceEvent,
} from "./broker/index.js";
export { startBroker } from "./broker/index.js";
export type { Clock } from "./core/clock.js";
export { manualClock, realClock, scaledClock } from "./core/clock.js";
export { UnreachableError, UsageError } from "./core/errors.js";
export { CATALOGUE } from "./signatures/catalogue.js";
