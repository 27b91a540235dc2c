import { roundTripMs } from "./grid.js";
import type { ClientConditions, ClientModel, IdleRun } from "./types.js";

/**
 * ESP-MQTT (esp-idf components/mqtt, mqtt_client.c `process_keepalive`, since its 2022-03 rework) — MODEL FROM
 * SOURCE ONLY: it needs ESP-IDF. `keepalive_tick` is set at the CONNACK and refreshed ONLY by a PINGRESP. With no
 * PINGREQ outstanding it pings once more than KA/2 has passed since that tick; with one outstanding it gives up
 * ("No PING_RESP, disconnected") once more than KA has passed since it — KA/2 after the PINGREQ. So the gap is
 * KA/2 + the round trip, and a round trip beyond KA/2 is fatal. Its task loop polls the socket with a timeout of
 * up to 1 s, which can add to both times: not modelled (ms timers assumed).
 */
function idleRun(c: ClientConditions, pings: number): IdleRun {
  const run: IdleRun = { pingsAt: [], giveUpAt: [], gaveUpAt: null };
  if (c.keepaliveMs <= 0) return run;
  const rtt = roundTripMs(c.oneWayLatencyMs);
  const half = c.keepaliveMs / 2;
  let tick = rtt;
  while (run.pingsAt.length < pings) {
    const pingAt = tick + half;
    const giveUpAt = tick + c.keepaliveMs;
    run.pingsAt.push(pingAt);
    run.giveUpAt.push(giveUpAt);
    if (giveUpAt < pingAt + rtt) {
      run.gaveUpAt = giveUpAt;
      break;
    }
    tick = pingAt + rtt;
  }
  return run;
}

export const ESP_MQTT: ClientModel = {
  id: "esp-mqtt",
  name: "ESP-MQTT",
  versions: "2022-03+",
  runnableHere: false,
  source: "model",
  evidence: "esp-mqtt mqtt_client.c process_keepalive, esp_mqtt_client_ping (model from source only)",
  rule: "PINGREQ KA/2 after the CONNACK or the last PINGRESP; gives up KA after it (KA/2 after the PINGREQ)",
  clockStart: "connack-received",
  anchor: "last-pingresp",
  wholeSecondClock: false,
  needsAppLoop: false,
  serverKeepAlive: {
    handling: "unknown",
    evidence: "not measured (needs ESP-IDF) and not read from its MQTT 5 code",
  },
  disconnectsOnGiveUp: {
    sends: false,
    evidence: "assumed: not run here, not measured; taken as a close without DISCONNECT",
  },

  knownBugs: [],
  phased: false,
  idleRun: (c, _phase, pings) => idleRun(c, pings),
};
