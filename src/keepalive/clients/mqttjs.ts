import { roundTripMs } from "./grid.js";
import type { ClientModel, IdleRun } from "./types.js";

/**
 * MQTT.js 5.6 and later (5.16.0 is the npm dependency here), read from its build
 * (node_modules/mqtt/build/lib/KeepaliveManager.js, handlers/index.js, client.js):
 *
 * - `reschedule()` resets a counter and starts an interval of ⌈KA_ms / 2⌉ (`_intervalEvery`);
 * - each interval tick adds 1; at 2 it sends PINGREQ, above 2 it calls `onKeepaliveTimeout()`, which destroys the
 *   stream and emits the error "Keepalive timeout";
 * - it is rescheduled by the CONNACK (the manager is created then), by every PINGRESP (`reschedulePing(true)`),
 *   and, with the default `reschedulePings: true`, by every incoming PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK,
 *   PUBREL and AUTH. Outgoing packets and incoming PUBLISHes do not reschedule it.
 *
 * So a client that hears nothing pings 2 · ⌈KA/2⌉ after its last reschedule and gives up 3 · ⌈KA/2⌉ after it:
 * 1.5 × KA for whole seconds, counted from the last PINGRESP it RECEIVED — while the broker counts from the last
 * packet IT received (the PINGREQ), a round trip earlier.
 */
export function mqttjsIntervalMs(keepaliveMs: number): number {
  return Math.ceil(keepaliveMs / 2);
}

/** Clock ms after its last reschedule at which MQTT.js sends PINGREQ. */
export function mqttjsPingAfterMs(keepaliveMs: number): number {
  return 2 * mqttjsIntervalMs(keepaliveMs);
}

/** Clock ms after its last reschedule at which MQTT.js gives up ("Keepalive timeout"). */
export function mqttjsTimeoutAfterMs(keepaliveMs: number): number {
  return 3 * mqttjsIntervalMs(keepaliveMs);
}

/** Incoming packets that reschedule MQTT.js's keepalive (handlers/index.ts), CONNACK included. */
export const MQTTJS_RESCHEDULING_PACKETS: ReadonlySet<string> = new Set([
  "connack",
  "pingresp",
  "puback",
  "pubrec",
  "pubcomp",
  "suback",
  "unsuback",
  "pubrel",
  "auth",
]);

/**
 * An idle MQTT.js: rescheduled at the CONNACK (one round trip after its CONNECT) and at each PINGRESP. A PINGRESP
 * that arrives at or after the third tick is too late (the timer is taken to run first).
 */
function idleRun(c: { keepaliveMs: number; oneWayLatencyMs: number }, pings: number): IdleRun {
  const run: IdleRun = { pingsAt: [], giveUpAt: [], gaveUpAt: null };
  if (c.keepaliveMs <= 0) return run;
  const rtt = roundTripMs(c.oneWayLatencyMs);
  let anchor = rtt;
  while (run.pingsAt.length < pings) {
    const pingAt = anchor + mqttjsPingAfterMs(c.keepaliveMs);
    const giveUpAt = anchor + mqttjsTimeoutAfterMs(c.keepaliveMs);
    run.pingsAt.push(pingAt);
    run.giveUpAt.push(giveUpAt);
    if (pingAt + rtt >= giveUpAt) {
      run.gaveUpAt = giveUpAt;
      break;
    }
    anchor = pingAt + rtt;
  }
  return run;
}

export const MQTTJS: ClientModel = {
  id: "mqttjs",
  name: "MQTT.js",
  versions: "5.6–5.16",
  runnableHere: true,
  source: "measured",
  evidence: "node_modules/mqtt/build/lib/KeepaliveManager.js (5.16.0), handlers/index.js, client.js",
  rule: "ticks every ⌈KA/2⌉ from the CONNACK or the last PINGRESP; PINGREQ on the 2nd tick, gives up on the 3rd",
  clockStart: "connack-received",
  anchor: "last-pingresp",
  wholeSecondClock: false,
  needsAppLoop: false,
  serverKeepAlive: {
    handling: "honours",
    evidence:
      "measured here: MQTT.js 5.16 over MQTT 5, asking 60 s and told 5 s (or 2 s), pings every 5 s (2 s)",
  },
  disconnectsOnGiveUp: {
    sends: false,
    evidence: "measured here: MQTT.js 5.16.0 closes its socket without DISCONNECT (pingresp-lost, KA 2)",
  },

  knownBugs: [
    {
      versions: "5.5.5–5.5.6",
      summary: "never pinged while it kept receiving PUBLISHes only: a receive-only client was kicked",
      reference: "MQTT.js#1861",
    },
  ],
  phased: false,
  idleRun: (c, _phase, pings) => idleRun(c, pings),
};
