import { subjectRealTime } from "./client-subject.js";
import type { KeepaliveRace } from "./network-outcome.js";
import { raceExpectation } from "./network-race-expected.js";
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
 * The link stalls both ways for good, 1.5 × keepalive after it started (between the client's first PINGRESP and
 * its second PINGREQ): no byte, no FIN, no RST passes on that connection — a half-open link. New connections
 * pass (`scope: existing`: the client found another path). MQTT.js gives up 1.5 × KA after its last PINGRESP and
 * reconnects; the broker kicks by its own model. Whoever is first decides the lines: a takeover of the old
 * session, or the broker's keepalive kick. `--stall-at`, `--stall-for`, … replace this stall.
 */
export const NETWORK_STALL: RaceDefinition = {
  ownFaults: (keepaliveMs) => [
    { kind: "stall", direction: "both", atMs: 1.5 * keepaliveMs, forMs: null, scope: "existing" },
  ],
};

export const networkStall: ScenarioDefinition<KeepaliveRace> = {
  name: "network-stall",
  options: raceOptions,
  behaviours: ["healthy", "real-library", "library-model"],
  explanation:
    "a half-open link: the client's own keepalive (MQTT.js: 1.5 × KA after its last PINGRESP) races the broker's; if the client gives up first, its reconnect with the same id takes the old session over (takeover lines), else the broker's keepalive kick ends it",
  expected: (p, o) => raceExpectation(p, raceForecast(NETWORK_STALL, p, o)),
  durationMs: (p, o) => raceDurationMs(NETWORK_STALL, p, o),
  // --client: a real library runs on real time
  realTime: (_p, o) => subjectRealTime(o),
  outcome: raceOutcome,
  run: (ctx) => runRace(ctx, NETWORK_STALL),
};
