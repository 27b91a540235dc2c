import type { RawClient } from "./raw-client.js";
import type { ScriptTimer } from "./script-timer.js";
import type { BehaviourName, FleetClient } from "./types.js";

/**
 * Wraps a raw behaviour's connections and its running script as a FleetClient. `connections` may grow while the
 * script runs (takeover's second connection, corrupt-retain's fresh subscriber).
 */
export function rawFleetClient(
  clientId: string,
  behaviour: BehaviourName,
  connections: RawClient[],
  timer: ScriptTimer,
  script: Promise<void>,
): FleetClient {
  const done = script.catch(() => {
    // A script that lost its connection has nothing more to do; the records say what happened.
  });
  return {
    clientId,
    behaviour,
    records: () => connections.map((c) => c.record),
    done,
    async stop() {
      timer.stop();
      for (const c of connections) c.destroy();
      await Promise.all(connections.map((c) => c.closed));
      await done;
    },
  };
}
