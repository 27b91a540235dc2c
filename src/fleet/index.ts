export type { BehaviourSpec } from "./behaviour-spec.js";
export { startClient } from "./behaviour-spec.js";
export { clientIdFor, type Fleet, type FleetOptions, startFleet } from "./fleet.js";
export { MALFORMED_NAMES, MALFORMED_VARIANTS, type MalformedVariant, malformedVariant } from "./malformed.js";
export { RawClient } from "./raw-client.js";
export { type ReconnectPolicy, reconnectDelayMs } from "./reconnect-policy.js";
export * from "./types.js";
