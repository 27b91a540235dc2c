import { gridAfter, gridAtOrAfter, phaseMs, roundTripMs } from "./grid.js";
import type { ClientConditions, ClientModel, IdleRun } from "./types.js";

/** coreMQTT's defaults (core_mqtt_config_defaults.h): the TX-idle cap, the RX-idle ping, the PINGRESP wait. */
export const COREMQTT_PACKET_TX_TIMEOUT_MS = 30_000;
export const COREMQTT_PACKET_RX_TIMEOUT_MS = 30_000;
export const COREMQTT_PINGRESP_TIMEOUT_MS = 5_000;

/**
 * AWS coreMQTT 2.x (source/core_mqtt.c `handleKeepAlive`, `receiveSingleIteration`, `MQTT_ProcessLoop`) — MODEL
 * FROM SOURCE ONLY: not built here. Nothing happens between the application's `MQTT_ProcessLoop` calls, and the
 * keepalive is handled only in calls that read nothing. With no PINGREQ outstanding it pings when
 * `now - lastPacketTxTime >= min(KA, PACKET_TX_TIMEOUT_MS)` (30 s by default), or when 30 s
 * (PACKET_RX_TIMEOUT_MS) have passed since the last packet received — so even keepalive 0 pings every 30 s;
 * with one outstanding it gives up (MQTTKeepAliveTimeout) once MORE than MQTT_PINGRESP_TIMEOUT_MS (5 s) have
 * passed since it, whatever the keepalive. `MQTT_Connect` sends the CONNECT (the first TX) and blocks until the
 * CONNACK; the application's loop runs from then.
 */
function idleRun(c: ClientConditions, phase: number, pings: number): IdleRun {
  const run: IdleRun = { pingsAt: [], giveUpAt: [], gaveUpAt: null };
  const rtt = roundTripMs(c.oneWayLatencyMs);
  const period = c.loopIntervalMs;
  const origin = rtt + phaseMs(phase, period);
  const txIdle =
    c.keepaliveMs > 0 ? Math.min(c.keepaliveMs, COREMQTT_PACKET_TX_TIMEOUT_MS) : Number.POSITIVE_INFINITY;
  let lastTx = 0;
  let lastRx = rtt;
  while (run.pingsAt.length < pings) {
    const due = Math.min(lastTx + txIdle, lastRx + COREMQTT_PACKET_RX_TIMEOUT_MS);
    let pingAt = gridAtOrAfter(due, origin, period);
    if (pingAt === lastRx) pingAt += period;
    const giveUpAt = gridAfter(pingAt + COREMQTT_PINGRESP_TIMEOUT_MS, origin, period);
    run.pingsAt.push(pingAt);
    run.giveUpAt.push(giveUpAt);
    const readAt = gridAtOrAfter(pingAt + rtt, origin, period);
    if (giveUpAt < readAt) {
      run.gaveUpAt = giveUpAt;
      break;
    }
    lastTx = pingAt;
    lastRx = readAt;
  }
  return run;
}

export const COREMQTT: ClientModel = {
  id: "coremqtt",
  name: "AWS coreMQTT",
  versions: "2.x",
  runnableHere: false,
  source: "model",
  evidence:
    "source/core_mqtt.c handleKeepAlive, receiveSingleIteration; core_mqtt_config_defaults.h (model from source only)",
  rule: "in ProcessLoop calls that read nothing: PINGREQ once min(KA, 30 s) without sending or 30 s without receiving; gives up 5 s after it",
  clockStart: "connect-sent",
  anchor: "last-send-or-receive",
  wholeSecondClock: false,
  needsAppLoop: true,
  serverKeepAlive: {
    handling: "mqtt311-only",
    evidence: "coreMQTT 2.x speaks MQTT 3.1.1 only",
  },
  disconnectsOnGiveUp: {
    sends: false,
    evidence: "assumed: not run here; it returns MQTTKeepAliveTimeout and the application closes",
  },

  knownBugs: [],
  phased: true,
  idleRun,
};
