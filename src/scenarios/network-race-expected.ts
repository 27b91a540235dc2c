import type { ProfileOptions } from "../core/profile.js";
import type { RacePrediction } from "./network-outcome.js";
import { kickSequence, peerGoneSequence, takeoverSequence } from "./sequences.js";
import type { Expectation } from "./types.js";

/**
 * The lines a race leaves, by how the forecast says the broker's side of the first connection ends: a takeover
 * (the client gave up first and its reconnect came before the broker's kick), the broker's own keepalive kick, the
 * client's FIN, or its DISCONNECT at the give-up. When the forecast cannot tell (a tie, mosquitto's sweep phase) only what both share.
 */
export function raceExpectation(p: ProfileOptions, forecast: RacePrediction): Expectation {
  switch (forecast.oldConnectionEnds) {
    case "takeover":
      return { seen: takeoverSequence(p), absent: ["keepalive-timeout"] };
    case "keepalive":
      return { seen: kickSequence(p), absent: ["takeover"] };
    case "peer-closed":
      return { seen: peerGoneSequence(p), absent: ["keepalive-timeout", "takeover"] };
    case "disconnect":
      // NanoMQ prints no recv error for a clean DISCONNECT; mosquitto and spec their `disconnected` line
      return {
        seen: p.profile === "nanomq" ? [] : [{ id: "client-disconnect" }],
        absent: ["keepalive-timeout", "takeover"],
      };
    case "open":
      return { seen: [], absent: ["keepalive-timeout", "takeover"] };
    case "either":
      return p.profile === "nanomq"
        ? { seen: [{ id: "recv-error" }, { id: "parse-error", detail: { rv: 139 } }], absent: [] }
        : { seen: [{ id: ["takeover", "keepalive-timeout"] }], absent: [] };
  }
}
