/** The link between a fleet client and the broker: an in-process TCP relay with Toxiproxy-like faults. */

export { type ParsedLinkOptions, parseLinkOptions, type RawLinkOptions } from "./link-options.js";
export type { Relay, RelayOptions } from "./relay.js";
export { startRelay } from "./relay-host.js";
export * from "./types.js";
