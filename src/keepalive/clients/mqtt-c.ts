import { gridAtOrAfter, keepaliveSeconds, phaseMs, toMicros, wallSecond, wallSecondStart } from "./grid.js";
import type { ClientConditions, ClientModel, IdleRun } from "./types.js";

/**
 * MQTT-C 1.1.6 (src/mqtt.c, `mqtt_sync` and `__mqtt_send`). Nothing happens between the application's `mqtt_sync`
 * calls; each call receives, then sends what is queued (stamping `time_of_last_send = time(NULL)`, whole
 * seconds), then checks `time(NULL) > time_of_last_send + keep_alive` (strict) and, if so, QUEUES a PINGREQ —
 * which leaves on the NEXT `mqtt_sync`. So after a send in second s the PINGREQ is queued by the first sync at or
 * after the start of second s + KA + 1 and sent one sync period later: a gap of (KA, KA + 1] s plus up to two
 * periods; with a 100 ms loop a steady KA + 1 s. The CONNECT is sent by the first sync (t = 0). It never gives up
 * on a missing PINGRESP (an unanswered PINGREQ is re-sent after `response_timeout`, 30 s); only socket errors end
 * the connection. KA 0 does not switch pings off: `time() > last + 0` queues one every second.
 */
function idleRun(c: ClientConditions, phase: number, pings: number): IdleRun {
  const run: IdleRun = { pingsAt: [], giveUpAt: [], gaveUpAt: null };
  const offsetMs = phaseMs(phase, 1000);
  const period = c.loopIntervalMs;
  const ka = keepaliveSeconds(c.keepaliveMs);
  let lastSend = 0;
  while (run.pingsAt.length < pings) {
    const due = wallSecondStart(wallSecond(lastSend, offsetMs) + ka + 1, offsetMs);
    const sentAt = toMicros(gridAtOrAfter(due, 0, period) + period);
    run.pingsAt.push(sentAt);
    run.giveUpAt.push(null);
    lastSend = sentAt;
  }
  return run;
}

export const MQTT_C: ClientModel = {
  id: "mqtt-c",
  name: "MQTT-C",
  versions: "1.1.6",
  runnableHere: true,
  source: "measured",
  evidence:
    "src/mqtt.c of 1.1.6: mqtt_sync, __mqtt_send (keep-alive check), __mqtt_ping; MQTT_PAL_TIME() = time(NULL)",
  rule: "queues PINGREQ once time() > last send + KA (whole seconds), sends it on the next mqtt_sync; never gives up",
  clockStart: "connect-sent",
  anchor: "last-send",
  wholeSecondClock: true,
  needsAppLoop: true,
  serverKeepAlive: {
    handling: "mqtt311-only",
    evidence: "MQTT-C 1.1.6 speaks MQTT 3.1.1 only",
  },
  disconnectsOnGiveUp: {
    sends: false,
    evidence: "never gives up (its PINGREQs keep their rhythm unanswered): nothing to send",
  },

  knownBugs: [
    {
      versions: "≤ 1.1.5",
      summary:
        "pinged at KA × 0.75 after the last send; 1.1.6 pings after KA, relying on the broker's 1.5 × KA grace",
      reference: "MQTT-C PR #161",
    },
  ],
  measuredDifferences: [
    {
      quantity: "gap",
      name: "mqtt-c-loop-drift",
      summary:
        "an application loop of mqtt_sync then sleep(P) drifts by the sync's own time, so a PINGREQ can leave one " +
        "sync earlier or later than on the model's exact grid (3.91 s measured at KA 3, sync every 100 ms, model 4.00 s)",
      beyond: (c) => ({ earlyMs: c.loopIntervalMs, lateMs: c.loopIntervalMs }),
    },
  ],
  phased: true,
  idleRun,
};
