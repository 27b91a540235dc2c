import { parseDuration } from "../core/duration.js";
import { UsageError } from "../core/errors.js";
import { CLIENT_LIBRARY_IDS, type ClientLibraryId } from "../keepalive/clients/types.js";
import type { ScenarioOptionSet } from "./types.js";

declare module "./types.js" {
  interface ScenarioOptions {
    /**
     * The subject's client library (client-library and the scenarios of client-subject.ts), run for real where it
     * runs here; undefined = the scenario's own client (client-library: MQTT.js's model) on the scaled clock.
     */
    clientLibrary?: ClientLibraryId;
    /** --client's library: how often the application drives the library (mqtt_sync, loop()), ms; undefined = 100 ms. */
    loopIntervalMs?: number;
  }
}

export const DEFAULT_CLIENT_LIBRARY: ClientLibraryId = "mqttjs";
export const DEFAULT_LOOP_INTERVAL = "100ms";

/**
 * --client <library>, --loop-interval <d>: the subject client of client-library and of the scenarios whose subject
 * is a healthy client (network-stall, pingresp-lost, high-latency, half-open, keepalive-budget; client-subject.ts).
 */
export const clientLibraryOptions: ScenarioOptionSet = {
  specs: [
    {
      flags: "--client <library>",
      description: `the subject's client library, real where it runs here (real time), else its model: ${CLIENT_LIBRARY_IDS.join(", ")} (default: MQTT.js, on the scaled clock)`,
    },
    {
      flags: "--loop-interval <duration>",
      description: "how often the application drives the library (mqtt_sync, loop(), ProcessLoop)",
      defaultValue: DEFAULT_LOOP_INTERVAL,
    },
  ],
  parse(raw) {
    const id = raw("client");
    const loopIntervalMs = parseDuration(
      raw("loopInterval") ?? DEFAULT_LOOP_INTERVAL,
      "--loop-interval",
      "ms",
    );
    if (!(loopIntervalMs > 0)) throw new UsageError("--loop-interval: must be more than 0");
    if (id === undefined) return { loopIntervalMs };
    if (!(CLIENT_LIBRARY_IDS as readonly string[]).includes(id)) {
      throw new UsageError(`--client: unknown library '${id}' (known: ${CLIENT_LIBRARY_IDS.join(", ")})`);
    }
    return { clientLibrary: id as ClientLibraryId, loopIntervalMs };
  },
};

/** `set`'s options and --client's in one set (the same spec objects: each flag is declared once). */
export function withClientOptions(set: ScenarioOptionSet): ScenarioOptionSet {
  return {
    specs: [...set.specs, ...clientLibraryOptions.specs],
    parse(raw, common) {
      const own = set.parse(raw, common);
      return { ...own, ...clientLibraryOptions.parse(raw, { ...common, ...own }) };
    },
  };
}
