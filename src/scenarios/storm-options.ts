import { reconnectOptions } from "./reconnect-options.js";
import type { ScenarioOptionSet } from "./types.js";

declare module "./types.js" {
  interface ScenarioOptions {
    /** reconnect-storm: its fleet when --clients is not given (a storm worth the name); undefined = --clients. */
    stormClients?: number;
  }
}

/** reconnect-storm's fleet without --clients: enough clients for the connect rate to mean something. */
export const STORM_DEFAULT_CLIENTS = 100;

/**
 * reconnect-storm's options: the reconnect policy (the same options, the same objects, as network-stall's and
 * pingresp-lost's), and its own fleet size when --clients is not given (the common default, 1, is no storm).
 */
export const stormOptions: ScenarioOptionSet = {
  specs: reconnectOptions.specs,
  parse(raw, common) {
    const reconnect = reconnectOptions.parse(raw, common);
    return raw("clients") === undefined ? { ...reconnect, stormClients: STORM_DEFAULT_CLIENTS } : reconnect;
  },
};
