import { REAL_LIBRARY_IDS, type RealLibraryId } from "../clients/real/types.js";
import { parseDuration } from "../core/duration.js";
import { UsageError } from "../core/errors.js";
import { CLIENT_LIBRARY_IDS, type ClientLibraryId } from "../keepalive/clients/types.js";
import type { ScenarioOptionSet } from "./types.js";

declare module "./types.js" {
  interface ScenarioOptions {
    /**
     * client-library: the subject's client library, run for real where it runs here; undefined = MQTT.js's model
     * on the scenario's scaled clock (what `scenario all` runs: quick).
     */
    clientLibrary?: ClientLibraryId;
    /** client-library: how often the application drives the library (mqtt_sync, loop()), ms; undefined = 100 ms. */
    loopIntervalMs?: number;
  }
}

export const DEFAULT_CLIENT_LIBRARY: ClientLibraryId = "mqttjs";
export const DEFAULT_LOOP_INTERVAL = "100ms";

export function isRealLibraryId(id: string): id is RealLibraryId {
  return (REAL_LIBRARY_IDS as readonly string[]).includes(id);
}

/** --client <library>, --loop-interval <d>. */
export const clientLibraryOptions: ScenarioOptionSet = {
  specs: [
    {
      flags: "--client <library>",
      description: `the subject's client library, real where it runs here (real time), else its model: ${CLIENT_LIBRARY_IDS.join(", ")} (default: MQTT.js's model, on the scaled clock)`,
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
