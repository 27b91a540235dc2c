import { gridAtOrAfter, keepaliveSeconds, roundTripMs } from "./grid.js";
import type { ClientConditions, ClientModel, IdleRun } from "./types.js";

/** `loop()`'s select timeout: the network loop wakes at least this often (and at each packet received). */
export const PAHO_PYTHON_LOOP_TIMEOUT_MS = 1000;

/**
 * Eclipse Paho Python 1.6.1 (paho/mqtt/client.py: `_check_keepalive`, `loop_misc`, `_loop`, `_packet_read`,
 * `_packet_write`, `_handle_pingresp`). The network loop (`loop_forever` / `loop_start`) waits in select() for at
 * most 1 s, and after each wake checks: either `now - last_msg_out >= KA` or `now - last_msg_in >= KA` (monotonic
 * float seconds) → PINGREQ, setting both to now; with a PINGREQ outstanding (`_ping_t`), KA since it → gives up
 * (MQTT_ERR_KEEPALIVE). A received PINGRESP stamps `last_msg_in` and wakes the loop, so the 1-s wakes restart
 * from it: the next PINGREQ goes at the first wake at least KA after the previous one — KA plus the part of the
 * round trip beyond whole seconds. The CONNECT is the first send; the loop's wakes start at the CONNACK.
 */
function idleRun(c: ClientConditions, pings: number): IdleRun {
  const run: IdleRun = { pingsAt: [], giveUpAt: [], gaveUpAt: null };
  const ka = keepaliveSeconds(c.keepaliveMs) * 1000;
  if (ka <= 0) return run;
  const rtt = roundTripMs(c.oneWayLatencyMs);
  let lastSend = 0;
  let wakeOrigin = rtt;
  while (run.pingsAt.length < pings) {
    const pingAt = gridAtOrAfter(lastSend + ka, wakeOrigin, PAHO_PYTHON_LOOP_TIMEOUT_MS);
    const giveUpAt = gridAtOrAfter(pingAt + ka, pingAt, PAHO_PYTHON_LOOP_TIMEOUT_MS);
    run.pingsAt.push(pingAt);
    run.giveUpAt.push(giveUpAt);
    if (giveUpAt < pingAt + rtt) {
      run.gaveUpAt = giveUpAt;
      break;
    }
    lastSend = pingAt;
    wakeOrigin = pingAt + rtt;
  }
  return run;
}

export const PAHO_PYTHON: ClientModel = {
  id: "paho-python",
  name: "Eclipse Paho Python",
  versions: "1.6.1",
  runnableHere: true,
  source: "measured",
  evidence:
    "paho/mqtt/client.py of 1.6.1: _check_keepalive, loop_misc, _loop (select timeout 1 s), _handle_pingresp",
  rule: "loop wakes at least every 1 s: PINGREQ once KA since its last send or receive; gives up KA after it",
  clockStart: "connect-sent",
  anchor: "last-send-or-receive",
  wholeSecondClock: false,
  needsAppLoop: false,
  serverKeepAlive: {
    handling: "ignores",
    evidence:
      "measured here: Paho Python 1.6.1 (MQTTv5), asking 60 s and told 5 s (or 2 s), sends no PINGREQ and is kicked 7.5 s (3 s) after CONNECT",
  },
  disconnectsOnGiveUp: {
    sends: false,
    evidence: "measured here: Paho Python 1.6.1 closes its socket without DISCONNECT (pingresp-lost, KA 2)",
  },

  knownBugs: [],
  phased: false,
  idleRun: (c, _phase, pings) => idleRun(c, pings),
};
