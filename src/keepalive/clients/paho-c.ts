import { gridAfter, gridAtOrAfter, roundTripMs } from "./grid.js";
import type { ClientConditions, ClientModel, IdleRun } from "./types.js";

/** Paho C's keepalive check period: clamp(KA / 10, 100 ms, 5 s) (`setRetryLoopInterval`). */
export function pahoCCheckIntervalMs(keepaliveMs: number): number {
  return Math.min(5000, Math.max(100, Math.floor(keepaliveMs / 10)));
}

/**
 * Eclipse Paho C 1.3.12 (src/MQTTProtocolClient.c `MQTTProtocol_keepalive`, MQTTAsyncUtils.c / MQTTClient.c
 * `setRetryLoopInterval` and `*_retry`, MQTTPacket.c). Its background thread runs the keepalive check every
 * clamp(KA/10, 100 ms, 5 s), on a grid that starts with the connection. With no PINGREQ outstanding it pings when
 * `now - lastSent >= KA` (ms clock), or else when `now - lastReceived >= KA`; with one outstanding it gives up
 * when both the PINGREQ and the last received byte are 1.5 × KA old. `now` is read when the check starts, while
 * the PINGREQ's send stamps `lastSent` a moment later (`MQTTTime_now()` in MQTTPacket_send): at the check exactly
 * KA after it `now - lastSent` falls short by that moment, so the PINGREQ goes one check later — every gap is the
 * first check strictly more than KA after the last send (KA + one period when KA is a whole number of periods:
 * 1.10, 2.20, 3.30 s measured at KA 1, 2, 3). The give-up compares with `lastPing`, the check's own `now`: exact.
 * A PINGRESP clears the outstanding ping; until then no new one is sent.
 */
function idleRun(c: ClientConditions, pings: number): IdleRun {
  const run: IdleRun = { pingsAt: [], giveUpAt: [], gaveUpAt: null };
  if (c.keepaliveMs <= 0) return run;
  const rtt = roundTripMs(c.oneWayLatencyMs);
  const period = pahoCCheckIntervalMs(c.keepaliveMs);
  let pingAt = gridAfter(c.keepaliveMs, 0, period);
  while (run.pingsAt.length < pings) {
    const giveUpAt = gridAtOrAfter(pingAt + 1.5 * c.keepaliveMs, 0, period);
    run.pingsAt.push(pingAt);
    run.giveUpAt.push(giveUpAt);
    if (giveUpAt < pingAt + rtt) {
      run.gaveUpAt = giveUpAt;
      break;
    }
    pingAt = Math.max(gridAfter(pingAt + c.keepaliveMs, 0, period), gridAtOrAfter(pingAt + rtt, 0, period));
  }
  return run;
}

export const PAHO_C: ClientModel = {
  id: "paho-c",
  name: "Eclipse Paho C",
  versions: "1.3.12",
  runnableHere: true,
  source: "measured",
  evidence:
    "src/MQTTProtocolClient.c MQTTProtocol_keepalive, src/MQTTAsyncUtils.c and src/MQTTClient.c setRetryLoopInterval, *_retry (tag v1.3.12)",
  rule: "checks every clamp(KA/10, 0.1 s, 5 s): PINGREQ at the first check more than KA after its last send (or receive); gives up 1.5 × KA after it",
  clockStart: "connect-sent",
  anchor: "last-send-or-receive",
  wholeSecondClock: false,
  needsAppLoop: false,
  serverKeepAlive: {
    handling: "ignores",
    evidence:
      "measured here: Paho C 1.3.12 (MQTTAsync, MQTT 5), asking 60 s and told 5 s (or 2 s), sends no PINGREQ and is kicked 7.5 s (3 s) after CONNECT",
  },
  disconnectsOnGiveUp: {
    sends: true,
    evidence:
      "measured here: Paho C 1.3.12 sends DISCONNECT at its give-up, then closes (pingresp-lost, KA 2)",
  },

  knownBugs: [
    {
      versions: "1.3.11",
      summary: "pinged only on its last send: a client that only receives never pinged and was kicked",
      reference: "paho.mqtt.c#1277",
    },
  ],
  measuredDifferences: [
    {
      quantity: "give-up",
      name: "paho-c-gives-up-late",
      summary:
        "the real Paho C 1.3.12 closes its connection 0.3–1.02 s after 1.5 × KA from its unanswered PINGREQ, " +
        "the same for a keepalive run after run (2.19–2.20, 3.30, 5.51–5.52, 6.62, 9.91 s measured at KA 1, 2, 3, " +
        "4, 6); allowed up to 1.2 s",
      beyond: () => ({ earlyMs: 0, lateMs: 1200 }),
    },
  ],
  phased: false,
  idleRun: (c, _phase, pings) => idleRun(c, pings),
};
