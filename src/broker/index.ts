/** The embedded broker: `startBroker` and its types (see ./types.ts). */
export { type BrokerLimits, DEFAULT_LIMITS } from "./limits.js";
export { startBroker } from "./server.js";
export type {
  Broker,
  BrokerFaults,
  BrokerLogLine,
  BrokerOptions,
  BrokerStats,
  CloseCause,
  TraceEvent,
} from "./types.js";
export type { ViolationKind } from "./wire/violation.js";
export { VIOLATION_KINDS } from "./wire/violation.js";
