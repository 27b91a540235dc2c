import { subjectRealTime } from "./client-subject.js";
import type { KeepaliveRace } from "./network-outcome.js";
import { raceExpectation } from "./network-race-expected.js";
import { firstReconnectWait } from "./network-race-predict.js";
import {
  type RaceDefinition,
  raceDurationMs,
  raceForecast,
  raceOptions,
  raceOutcome,
  runRace,
} from "./network-race-run.js";
import type { ScenarioDefinition } from "./types.js";

/**
 * Every PINGRESP is dropped on its way to the client: the broker gets each PINGREQ and answers it, so it sees a
 * healthy client and never kicks; MQTT.js hears nothing and gives up 1.5 × KA after its CONNACK. The same bad path
 * is slow to carry the client's FIN to the broker (slow close: half a keepalive plus the longest first reconnect
 * wait), so the client's reconnect reaches the broker while it still holds the old connection: a takeover.
 * `--drop`, `--slow-close` replace these faults.
 */
export const PINGRESP_LOST: RaceDefinition = {
  ownFaults: (keepaliveMs, reconnect) => [
    { kind: "drop", packet: "pingresp" },
    {
      kind: "slow-close",
      direction: "to-broker",
      delayMs: keepaliveMs / 2 + (firstReconnectWait(reconnect)?.to ?? 0),
    },
  ],
};

export const pingrespLost: ScenarioDefinition<KeepaliveRace> = {
  name: "pingresp-lost",
  options: raceOptions,
  behaviours: ["healthy", "real-library", "library-model"],
  explanation:
    "PINGRESPs lost on the way back: the broker sees every PINGREQ and never kicks, the client gives up at 1.5 × KA; its reconnect takes over the connection the broker still holds",
  expected: (p, o) => raceExpectation(p, raceForecast(PINGRESP_LOST, p, o)),
  durationMs: (p, o) => raceDurationMs(PINGRESP_LOST, p, o),
  // --client: a real library runs on real time
  realTime: (_p, o) => subjectRealTime(o),
  outcome: raceOutcome,
  run: (ctx) => runRace(ctx, PINGRESP_LOST),
};
