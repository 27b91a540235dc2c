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
 *
 * The application's loop (`mqtt_sync`, then sleep P) takes P plus its own time: MQTT_C_LOOP_OVERRUN_MS per sync.
 * So its syncs slide later against the wall clock's seconds and its PINGREQs with them, one sync sooner each time
 * they slide past a whole second: over a long connection its PINGREQs fall anywhere in (P, 2P] past a second, while
 * the broker's ticks keep the CONNECT's phase. A tick in that band is crossed by the PINGREQs sooner or later:
 * one just before the tick, the next KA + 1 s later just after it (see versus-broker.ts).
 */
function idleRun(c: ClientConditions, phase: number, pings: number): IdleRun {
  const run: IdleRun = { pingsAt: [], giveUpAt: [], gaveUpAt: null };
  const offsetMs = phaseMs(phase, 1000);
  const period = toMicros(c.loopIntervalMs + MQTT_C_LOOP_OVERRUN_MS);
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

/**
 * How much longer than P one turn of the application's loop (`mqtt_sync`, then sleep P) takes, ms: the sync's own
 * work and the sleep's wake-up. Measured with clients/mqtt-c/idle.c at P 100 ms, KA 3: PINGREQs every 4.007 s
 * (40 syncs) against the real NanoMQ 0.25.3 and the embedded broker, 3.91 s when the syncs slid past a second.
 */
export const MQTT_C_LOOP_OVERRUN_MS = 0.175;

/** The most PINGREQs simulated: a slow loop's slide across one period would need thousands. */
const MAX_HORIZON_PINGS = 100;

/**
 * Enough PINGREQs for the loop's slide to carry them across one loop period (every place past a second they can
 * take), at most MAX_HORIZON_PINGS.
 */
function horizonPings(c: ClientConditions): number {
  const syncsPerPing = ((keepaliveSeconds(c.keepaliveMs) + 1) * 1000) / c.loopIntervalMs;
  const slidePerPing = syncsPerPing * MQTT_C_LOOP_OVERRUN_MS;
  return Math.min(MAX_HORIZON_PINGS, Math.ceil(c.loopIntervalMs / slidePerPing) + 2);
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
        "beyond the loop's steady slide (modelled: 0.175 ms a turn), each turn's wake-up varies with the scheduler, so " +
        "a PINGREQ can leave one sync earlier or later than on the model's grid (2.02 s measured at KA 1, sync every " +
        "100 ms, model 1.90–2.00 s; 4.53 s at KA 3, sync every 1.5 s, model 6.00 s)",
      beyond: (c) => ({ earlyMs: c.loopIntervalMs, lateMs: c.loopIntervalMs }),
    },
  ],
  phased: true,
  horizonPings,
  idleRun,
};
