import type { MeasureCase } from "./measure.js";
import type { RealLibraryId } from "./types.js";

/**
 * The cases each real library is measured at, side by side with its model (the tests and
 * bench/clients-measure.ts, which writes docs/clients.md): idle ping gaps at a few keepalives and
 * loop intervals, and the give-up time with every PINGRESP dropped. A few seconds of keepalive each, so all of
 * them run at once in about 25 s of real time. libmosquitto refuses keepalives under 5 s; MQTT-C runs at a 100 ms
 * loop and at the slow loops of the write-up's kicks; Paho Python and libmosquitto at their loop_forever's 1 s.
 */
export interface LibraryCases {
  gaps: MeasureCase[];
  giveUp: MeasureCase[];
}

const at = (library: RealLibraryId, keepaliveS: number, loopIntervalMs: number): MeasureCase => ({
  library,
  keepaliveS,
  loopIntervalMs,
});

export const SIDE_BY_SIDE_CASES: Record<RealLibraryId, LibraryCases> = {
  mqttjs: {
    gaps: [1, 2, 3].map((k) => at("mqttjs", k, 100)),
    giveUp: [1, 2, 3].map((k) => at("mqttjs", k, 100)),
  },
  "mqttjs-4": {
    gaps: [1, 2, 3].map((k) => at("mqttjs-4", k, 100)),
    giveUp: [1, 2, 3].map((k) => at("mqttjs-4", k, 100)),
  },
  "mqtt-c": {
    gaps: [
      at("mqtt-c", 1, 100),
      at("mqtt-c", 2, 100),
      at("mqtt-c", 3, 100),
      at("mqtt-c", 3, 1000),
      at("mqtt-c", 3, 1500),
    ],
    giveUp: [at("mqtt-c", 2, 100)],
  },
  "paho-c": {
    gaps: [1, 2, 3].map((k) => at("paho-c", k, 100)),
    giveUp: [1, 2, 3].map((k) => at("paho-c", k, 100)),
  },
  "paho-python": {
    gaps: [1, 2, 3].map((k) => at("paho-python", k, 1000)),
    giveUp: [1, 2, 3].map((k) => at("paho-python", k, 1000)),
  },
  libmosquitto: {
    gaps: [at("libmosquitto", 5, 1000)],
    giveUp: [at("libmosquitto", 5, 1000), at("libmosquitto", 6, 1000)],
  },
};

/** Idle gaps measured per gap case (after the first PINGREQ), and how long a give-up is watched at most. */
export const GAPS_PER_CASE = 2;
export const GIVE_UP_WATCH_MS = 15_000;
/** A gap case's whole wait: the first ping and GAPS_PER_CASE more, each at most KA + 1 s + two loops, and slack. */
export function gapsTimeoutMs(c: MeasureCase): number {
  return (GAPS_PER_CASE + 1) * (c.keepaliveS * 1000 + 1000 + 2 * c.loopIntervalMs) + 3000;
}
