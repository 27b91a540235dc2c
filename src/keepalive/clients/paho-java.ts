import { roundTripMs } from "./grid.js";
import type { ClientConditions, ClientModel, IdleRun } from "./types.js";

/**
 * Eclipse Paho Java 1.2.x (org.eclipse.paho.client.mqttv3 internal/ClientState.java `checkForActivity`,
 * TimerPingSender) — MODEL FROM SOURCE ONLY: it does not run here. A timer started when the CONNACK arrives
 * (`connected()` → `pingSender.start()`) runs the check KA later, and after a PINGREQ again KA later. The check:
 * a PINGREQ is outstanding and nothing has come in for KA → gives up (REASON_CODE_CLIENT_TIMEOUT, 32000);
 * otherwise, nothing received for KA with none outstanding, or nothing sent for KA → PINGREQ (put at the head of
 * the send queue). `delta` (0.1 ms) is left out.
 */
function idleRun(c: ClientConditions, pings: number): IdleRun {
  const run: IdleRun = { pingsAt: [], giveUpAt: [], gaveUpAt: null };
  const ka = c.keepaliveMs;
  if (ka <= 0) return run;
  const rtt = roundTripMs(c.oneWayLatencyMs);
  const answers: number[] = [];
  let lastIn = rtt;
  let lastOut = 0;
  let check = rtt + ka;
  for (let guard = 0; run.pingsAt.length < pings && guard < 4 * pings + 4; guard++) {
    while (answers.length > 0 && (answers[0] ?? Number.POSITIVE_INFINITY) <= check) {
      lastIn = answers.shift() ?? lastIn;
    }
    if (answers.length > 0 && check - lastIn >= ka) {
      run.gaveUpAt = check;
      break;
    }
    if ((answers.length === 0 && check - lastIn >= ka) || check - lastOut >= ka) {
      run.pingsAt.push(check);
      run.giveUpAt.push(check + ka);
      answers.push(check + rtt);
      lastOut = check;
      check += ka;
    } else {
      check += Math.max(1, ka - (check - lastOut));
    }
  }
  return run;
}

export const PAHO_JAVA: ClientModel = {
  id: "paho-java",
  name: "Eclipse Paho Java",
  versions: "1.2.x",
  runnableHere: false,
  source: "model",
  evidence:
    "org.eclipse.paho.client.mqttv3 internal/ClientState.java checkForActivity, TimerPingSender (model from source only)",
  rule: "timer from the CONNACK: PINGREQ once KA without sending (or receiving); gives up when KA passes with one outstanding and nothing received",
  clockStart: "connack-received",
  anchor: "last-send-or-receive",
  wholeSecondClock: false,
  needsAppLoop: false,
  serverKeepAlive: {
    handling: "unknown",
    evidence: "not measured (Java does not run here) and not read from its MQTT 5 client",
  },
  disconnectsOnGiveUp: {
    sends: false,
    evidence: "assumed: not run here, not measured; taken as a close without DISCONNECT",
  },

  knownBugs: [],
  phased: false,
  idleRun: (c, _phase, pings) => idleRun(c, pings),
};
