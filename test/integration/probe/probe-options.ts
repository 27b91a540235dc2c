import { realClock } from "../../../src/core/clock.js";
import { parseTarget } from "../../../src/core/target.js";
import { CHECK_IDS } from "../../../src/probe/check-ids.js";
import type { ProbeOptions } from "../../../src/probe/types.js";

/** ProbeOptions for tests: the CLI's defaults, a fresh run id, overridable. */
export function probeOptions(broker: string, over: Partial<ProbeOptions> = {}): ProbeOptions {
  return {
    target: parseTarget(broker),
    clock: realClock(),
    checks: CHECK_IDS,
    mqttVersion: "auto",
    clientIdPrefix: "mqdiag-test-",
    insecure: false,
    timeoutMs: 3000,
    maxWaitMs: 30_000,
    keepaliveSamples: [1, 2, 4],
    sessionsPerSample: 3,
    staggerMs: 6000,
    pingCount: 5,
    deep: false,
    retainPrefix: "mqdiag/probe",
    runId: Math.random().toString(16).slice(2, 10),
    ...over,
  };
}
