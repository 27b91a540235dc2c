import {
  gridAtOrAfter,
  keepaliveSeconds,
  phaseMs,
  roundTripMs,
  wallSecond,
  wallSecondStart,
} from "./grid.js";
import type { ClientConditions, ClientModel, IdleRun } from "./types.js";

/**
 * libmosquitto 2.0.11 (lib/util_mosq.c `mosquitto__check_keepalive`, lib/loop.c `mosquitto_loop`,
 * lib/packet_mosq.c, lib/time_mosq.c). Its clock is `mosquitto_time()`: whole seconds of CLOCK_MONOTONIC. Every
 * packet written sets `next_msg_out = now_s + KA`, every byte read `last_msg_in = now_s`. After each wake of its
 * network loop it checks `now_s >= next_msg_out || now_s - last_msg_in >= KA`: PINGREQ if none is outstanding
 * (`ping_t`), else it gives up (MOSQ_ERR_KEEPALIVE). The loop's select() timeout is cut to
 * `(next_msg_out - now_s) · 1000` ms, so it wakes a whole number of seconds after its last wake (the PINGRESP, or
 * the PINGREQ itself when unanswered) — at the first such instant whose whole second is the PINGREQ's + KA. The
 * gap is therefore KA ± up to 1 s depending on where in a second the pings fall; an unanswered one is given up on
 * exactly KA after it. `mosquitto_connect` refuses keepalives of 1–4 s (MOSQ_ERR_INVAL).
 */
function idleRun(c: ClientConditions, phase: number, pings: number): IdleRun {
  const run: IdleRun = { pingsAt: [], giveUpAt: [], gaveUpAt: null };
  const ka = keepaliveSeconds(c.keepaliveMs);
  if (ka <= 0) return run;
  const offsetMs = phaseMs(phase, 1000);
  const rtt = roundTripMs(c.oneWayLatencyMs);
  let lastSend = 0;
  let wakeOrigin = rtt;
  while (run.pingsAt.length < pings) {
    const due = wallSecondStart(wallSecond(lastSend, offsetMs) + ka, offsetMs);
    const pingAt = gridAtOrAfter(due, wakeOrigin, 1000);
    const giveUpAt = pingAt + ka * 1000;
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

export const LIBMOSQUITTO: ClientModel = {
  id: "libmosquitto",
  name: "libmosquitto",
  versions: "2.0.11",
  runnableHere: true,
  source: "measured",
  evidence:
    "lib/util_mosq.c mosquitto__check_keepalive, lib/loop.c mosquitto_loop, lib/thread_mosq.c (tag v2.0.11)",
  rule: "whole-second clock: PINGREQ once either direction is KA idle; gives up KA after an unanswered one",
  clockStart: "connect-sent",
  anchor: "last-send-or-receive",
  wholeSecondClock: true,
  needsAppLoop: false,
  serverKeepAlive: {
    handling: "honours",
    evidence:
      "measured here: libmosquitto 2.0.11 over MQTT 5, asking 60 s and told 5 s (or 2 s), pings every 5 s (2 s)",
  },
  disconnectsOnGiveUp: {
    sends: false,
    evidence: "measured here: libmosquitto 2.0.11 closes its socket without DISCONNECT (pingresp-lost, KA 5)",
  },

  knownBugs: [],
  refusesKeepalive: (keepaliveMs) => {
    const ka = keepaliveSeconds(keepaliveMs);
    return ka > 0 && ka < 5 ? "mosquitto_connect refuses keepalives of 1–4 s (MOSQ_ERR_INVAL)" : null;
  },
  measuredDifferences: [
    {
      quantity: "first-gap",
      name: "libmosquitto-first-ping-early",
      summary:
        "the real libmosquitto 2.0.11's first PINGREQ can come up to 1 s before KA after the CONNECT, at the start " +
        "of its clock's whole second KA after the CONNECT's (4.02–5.03 s measured at KA 5 with mosquitto_loop(1 s); " +
        "4.63–4.86 s, then gaps of 4.93 s, when the application loops every 100 ms)",
      beyond: () => ({ earlyMs: 1000, lateMs: 0 }),
    },
    {
      quantity: "gap",
      name: "libmosquitto-gap-early-by-loop",
      summary:
        "the real libmosquitto 2.0.11's idle gaps can end up to one application loop before KA: it checks its " +
        "whole-second clock at each mosquitto_loop() wake, not on the model's one-second grid (4.93 s at KA 5 " +
        "looping every 100 ms; 4.92 s when told KA 5 by a Server Keep Alive)",
      beyond: (c) => ({ earlyMs: c.loopIntervalMs, lateMs: 0 }),
    },
  ],
  phased: true,
  idleRun,
};
