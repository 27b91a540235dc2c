import type { Blindness, Vantage } from "../capture/vantage.js";
import type { Cause, Ending, EvidenceFact, KickTiming, UndecidableReason } from "../capture/verdict-types.js";
import { formatSeconds } from "../core/seconds.js";

const s = (ms: number) => formatSeconds(ms, 3);
const hex = (n: number) => `0x${n.toString(16).padStart(2, "0")}`;

export const ENDING_WORDS: Record<Ending, string> = {
  kicked: "the broker closed it",
  "client-disconnect": "the client sent DISCONNECT",
  "client-closed": "the client closed it (FIN, no DISCONNECT)",
  "client-reset": "the client reset it (RST)",
  malformed: "the broker closed it after a malformed packet",
  takeover: "the broker closed it for a newer connection of the same client id",
  "open-at-end": "still open when the capture ended",
  unknown: "the broker closed it, for a reason the capture cannot tell",
};

export const CAUSE_WORDS: Record<Cause, string> = {
  "client-late": "the client was silent longer than its keepalive, and nothing was lost",
  network:
    "the network lost or delayed the client's packets (retransmissions, late fills, unacknowledged data)",
  "pingresp-missing": "a PINGREQ got no PINGRESP and the client gave up",
  malformed: "the client sent a packet the broker refuses",
  "duplicate-client-id": "another connection used the same client id",
  none: "nothing wrong on the client's or the network's side",
  undecidable: "this capture cannot tell",
};

export const KICK_WORDS: Record<KickTiming, string> = {
  "on-time": "on time for the broker model",
  early: "EARLY for the broker model",
  late: "LATE for the broker model",
  "not-modelled": "not checked against the model (keepalive unknown)",
};

export const VANTAGE_WORDS: Record<Vantage, string> = {
  broker: "taken beside the broker",
  client: "taken beside the client",
  "same-host": "client and broker on one host",
  unknown: "vantage point unknown",
};

export const BLIND_WORDS: Record<Blindness, string> = {
  "client-send-times": "cannot tell when the client sent a packet, only when it reached the broker",
  "broker-arrival-times":
    "cannot tell when a packet reached the broker (inferred: capture time + half the RTT), nor whether a PINGRESP was sent and lost",
  "arrival-times": "arrival times at either end are inferred, each to within one RTT",
  nothing: "sees both ends: nothing is hidden but the hosts' own scheduling",
};

const UNDECIDABLE_WORDS: Record<UndecidableReason, string> = {
  "no-connect": "the CONNECT is not in the capture: keepalive and client id unknown",
  "capture-missed-client-bytes":
    "the capture missed client bytes in the last keepalive: a PINGREQ may be among them",
  tls: "encrypted (TLS): packet timing only, no MQTT packet can be read",
  "no-close-seen": "no close was captured",
  "broker-closed-after-client-data":
    "the broker closed right after a client packet, early for keepalive: an answer to that packet, which the capture's decoding does not refuse",
  "kick-or-takeover":
    "the broker closed it right after a newer connection of the same client id, and on the model's keepalive kick too: either could be why",
};

/** One evidence line in words. */
export function evidenceWords(f: EvidenceFact): string {
  switch (f.kind) {
    case "connect":
      return `CONNECT client id "${f.clientId}", MQTT ${f.protocolVersion === 5 ? "5" : f.protocolVersion === 3 ? "3.1" : "3.1.1"}, keepalive ${f.keepaliveS} s`;
    case "server-keepalive":
      return `CONNACK Server Keep Alive ${f.keepaliveS} s (the keepalive in force)`;
    case "connack-refused":
      return `CONNACK refused the connection: code ${hex(f.code)}`;
    case "close":
      return `${f.by} ${f.how === "disconnect" ? `DISCONNECT${f.reasonCode ? ` ${hex(f.reasonCode)}` : ""}` : f.how.toUpperCase()} (first close)`;
    case "last-client-packet":
      return `last packet from the client: ${f.packetName === "tls-record" ? "an encrypted record" : f.packetName.toUpperCase()}`;
    case "silence":
      return `client silent ${s(f.ms)} before the close (keepalive ${f.keepaliveMs === null ? "unknown: encrypted" : s(f.keepaliveMs)})`;
    case "longest-gap":
      return `longest client gap ${s(f.ms)} since packet ${f.fromPacket}, more than its keepalive ${s(f.keepaliveMs)}`;
    case "kick-window":
      return `model kick window ${s(f.earliestMs - f.kickMs)} … ${s(f.latestMs - f.kickMs)} from this close (±${s(f.toleranceMs)})`;
    case "retransmitted":
      return `${f.side} bytes sent again: ${f.bytes} B (the network lost a segment or its ACK)`;
    case "filled-late":
      return `${f.side} hole filled ${s(f.holeMs)} late: ${f.bytes} B (lost before the capture point, sent again)`;
    case "missed":
      return `the capture missed ${f.bytes} B of the ${f.side} (${f.reason}): not seen, though delivered`;
    case "unacknowledged":
      return `${f.side} data never acknowledged by the other end: lost on the way`;
    case "pingreq-unanswered":
      return `PINGREQ unanswered for ${s(f.waitedMs)} before the client closed`;
    case "violation":
      return `client packet the broker refuses: ${f.violation}`;
    case "taken-over":
      return `connection #${f.byConnection} CONNECTed with the same client id`;
    case "takes-over":
      return `takes over the client id of connection #${f.ofConnection}`;
    case "encrypted":
      return `TLS: ${f.records} encrypted client segments, timing only (inferred)`;
    case "undecidable":
      return `undecidable: ${UNDECIDABLE_WORDS[f.reason]}`;
    case "half-open":
      return `half-open: no client packet for ${s(f.silentMs)}, ${s(f.overdueMs)} past the model's kick, and the broker has not closed it`;
    case "library-rhythm":
      return `PINGREQ every ${s(f.gapMs)}: the ping rule of ${f.libraries.join(", ")} (client-library models)`;
  }
}
