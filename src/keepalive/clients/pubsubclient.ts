import { gridAfter, gridAtOrAfter, phaseMs, roundTripMs } from "./grid.js";
import type { ClientConditions, ClientModel, IdleRun } from "./types.js";

/**
 * Arduino PubSubClient 2.8 (src/PubSubClient.cpp `connect`, `loop`) — MODEL FROM SOURCE ONLY: it needs an
 * Arduino. Nothing happens between the sketch's `loop()` calls. `connect()` stamps `lastOutActivity` when it writes
 * the CONNECT and `lastInActivity` when it reads the CONNACK (it blocks until then). Each `loop()` FIRST checks
 * `t - lastInActivity > KA || t - lastOutActivity > KA` (millis, strict): PINGREQ (both stamps set to now) or, with
 * one outstanding, give up (MQTT_CONNECTION_TIMEOUT); only THEN reads what has arrived (a PINGRESP clears the
 * outstanding ping). So the gap is (KA, KA + the loop period], and an unanswered PINGREQ is given up on at the
 * first `loop()` more than KA after it. Keepalive 0 is taken as "no pings" (not checked against the source).
 */
function idleRun(c: ClientConditions, phase: number, pings: number): IdleRun {
  const run: IdleRun = { pingsAt: [], giveUpAt: [], gaveUpAt: null };
  if (c.keepaliveMs <= 0) return run;
  const rtt = roundTripMs(c.oneWayLatencyMs);
  const period = c.loopIntervalMs;
  const origin = rtt + phaseMs(phase, period);
  let pingAt = gridAfter(c.keepaliveMs, origin, period);
  while (run.pingsAt.length < pings) {
    const giveUpAt = gridAfter(pingAt + c.keepaliveMs, origin, period);
    run.pingsAt.push(pingAt);
    run.giveUpAt.push(giveUpAt);
    const readAt = gridAtOrAfter(pingAt + rtt, origin, period);
    if (giveUpAt <= readAt) {
      run.gaveUpAt = giveUpAt;
      break;
    }
    pingAt = giveUpAt;
  }
  return run;
}

export const PUBSUBCLIENT: ClientModel = {
  id: "pubsubclient",
  name: "PubSubClient",
  versions: "2.8",
  runnableHere: false,
  source: "model",
  evidence: "src/PubSubClient.cpp connect, loop (knolleary/pubsubclient 2.8; model from source only)",
  rule: "in loop(): PINGREQ once either direction is more than KA idle; gives up at the next loop() more than KA after it",
  clockStart: "connect-sent",
  anchor: "last-send-or-receive",
  wholeSecondClock: false,
  needsAppLoop: true,
  serverKeepAlive: {
    handling: "mqtt311-only",
    evidence: "PubSubClient speaks MQTT 3.1.1 (or 3.1) only",
  },
  disconnectsOnGiveUp: {
    sends: false,
    evidence: "assumed: not run here, not measured; taken as a close without DISCONNECT",
  },

  knownBugs: [],
  phased: true,
  idleRun,
};
