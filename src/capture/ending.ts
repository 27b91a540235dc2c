import type { CloseEvent, ConnectionTimeline } from "./timeline.js";
import type { Ending } from "./verdict-types.js";

/** MQTT 5 reason codes a broker's DISCONNECT gives for these endings. */
const SESSION_TAKEN_OVER = 0x8e;
const MALFORMED_PACKET = 0x81;
const PROTOCOL_ERROR = 0x82;

export interface EndingReading {
  ending: Ending;
  /** The close that decided it (the first DISCONNECT, FIN or RST of either side). */
  close?: CloseEvent;
}

/**
 * Who closed first and how. A broker's close is a takeover when a CONNECT with the same client id came before it
 * (or its DISCONNECT says 0x8E), malformed when the client's last refused packet came before it (or its DISCONNECT
 * says 0x81/0x82), else a kick.
 */
export function endingOf(t: ConnectionTimeline): EndingReading {
  const close = [...t.closes].sort((a, b) => a.at.packet - b.at.packet)[0];
  if (!close) return { ending: "open-at-end" };
  if (close.by === "client") {
    const ending: Ending =
      close.how === "disconnect"
        ? "client-disconnect"
        : close.how === "fin"
          ? "client-closed"
          : "client-reset";
    return { ending, close };
  }
  const code = close.how === "disconnect" ? close.reasonCode : undefined;
  if (code === SESSION_TAKEN_OVER || (t.takenOverBy && t.takenOverBy.at.packet <= close.at.packet))
    return { ending: "takeover", close };
  if (
    code === MALFORMED_PACKET ||
    code === PROTOCOL_ERROR ||
    (t.violation && t.violation.at.packet <= close.at.packet)
  )
    return { ending: "malformed", close };
  return { ending: "kicked", close };
}
