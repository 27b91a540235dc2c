import { roundTripMs } from "./grid.js";
import type { ClientModel, IdleRun } from "./types.js";

/**
 * MQTT.js 4.3 (lib/client.js; Debian packages it as node-mqtt, which reports 4.3.6): `_setupPingTimer` starts a
 * `reinterval` of KA when the CONNACK arrives (`_onConnect`); every packet the client sends (`_sendPacket`, the
 * PINGREQ included) reschedules it to KA from then (`_shiftPingInterval`, `reschedulePings: true` by default). When
 * it fires, `_checkPing` sends PINGREQ if the previous one was answered (`pingResp`), and otherwise gives up
 * (`_cleanUp(true)`). A PINGRESP only sets `pingResp`: the next PINGREQ goes KA after the previous one whatever the
 * round trip, and an unanswered one is given up on KA after it.
 */
function idleRun(c: { keepaliveMs: number; oneWayLatencyMs: number }, pings: number): IdleRun {
  const run: IdleRun = { pingsAt: [], giveUpAt: [], gaveUpAt: null };
  if (c.keepaliveMs <= 0) return run;
  const rtt = roundTripMs(c.oneWayLatencyMs);
  let lastSend = rtt;
  while (run.pingsAt.length < pings) {
    const pingAt = lastSend + c.keepaliveMs;
    const giveUpAt = pingAt + c.keepaliveMs;
    run.pingsAt.push(pingAt);
    run.giveUpAt.push(giveUpAt);
    if (pingAt + rtt >= giveUpAt) {
      run.gaveUpAt = giveUpAt;
      break;
    }
    lastSend = pingAt;
  }
  return run;
}

export const MQTTJS_4: ClientModel = {
  id: "mqttjs-4",
  name: "MQTT.js 4",
  versions: "4.3.x",
  runnableHere: true,
  source: "measured",
  evidence: "lib/client.js of 4.3: _setupPingTimer, _shiftPingInterval, _checkPing, _handlePingresp",
  rule: "PINGREQ KA after its last sent packet (timer from the CONNACK); gives up when the next one is due unanswered",
  clockStart: "connack-received",
  anchor: "last-send",
  wholeSecondClock: false,
  needsAppLoop: false,
  serverKeepAlive: {
    handling: "honours",
    evidence:
      "measured here: MQTT.js 4.3.6 over MQTT 5, asking 60 s and told 5 s (or 2 s), pings every 5 s (2 s)",
  },
  disconnectsOnGiveUp: {
    sends: false,
    evidence: "measured here: MQTT.js 4.3.6 closes its socket without DISCONNECT (pingresp-lost, KA 2)",
  },

  knownBugs: [],
  phased: false,
  idleRun: (c, _phase, pings) => idleRun(c, pings),
};
