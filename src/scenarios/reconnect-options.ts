import { parseReconnect } from "./network-options.js";
import type { ScenarioOptionSet } from "./types.js";

/**
 * The client's reconnect policy: the scenarios whose clients are MQTT.js sessions that come back (network-stall,
 * pingresp-lost, reconnect-storm) share this set.
 */
export const reconnectOptions: ScenarioOptionSet = {
  specs: [
    {
      flags: "--reconnect <none|immediate|backoff>",
      description: "what the client does after it gave up or was dropped (default: the scenario's)",
    },
    {
      flags: "--reconnect-delay <d>",
      description: "immediate: wait between failed attempts; backoff: first wait (default 1s)",
    },
    { flags: "--reconnect-max <d>", description: "backoff: the longest wait (default 30s)" },
    {
      flags: "--reconnect-jitter <0-1>",
      description: "backoff: each wait cut by up to this fraction (default 0.5)",
    },
  ],
  parse(raw, common) {
    const reconnect = parseReconnect(
      {
        reconnect: raw("reconnect"),
        reconnectDelay: raw("reconnectDelay"),
        reconnectMax: raw("reconnectMax"),
        reconnectJitter: raw("reconnectJitter"),
      },
      common.network?.link?.seed ?? 1,
    );
    return reconnect ? { network: { ...common.network, reconnect } } : {};
  },
};
