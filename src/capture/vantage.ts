import type { ConnectionTimeline } from "./timeline.js";

/** Where the capture was taken, as far as the timing of answers shows it. */
export type Vantage = "broker" | "client" | "same-host" | "unknown";

export interface VantageReading {
  vantage: Vantage;
  /** Round-trip time between the ends as the capture shows it (ms): the slower side's answer delay. */
  rttMs: number | null;
  /** Why: which answer delays were compared. */
  brokerAnswerMs: number | null;
  clientAnswerMs: number | null;
}

/** Answer delays below this are "immediate" (the host's own stack answering); above, a trip over the network. */
const LOCAL_ANSWER_MS = 0.5;
/** One side must answer this many times slower than the other before the capture is placed at the faster one. */
const RATIO = 4;

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * A capture sees its own host's answers at once and the far host's only after a round trip. So when the broker's
 * answers (SYN-ACK to SYN, ACK or PINGRESP to client data) come a round trip after what they answer and the
 * client's come at once, the capture was taken beside the client, and the other way round. Both ends on one
 * host (loopback, or the same address) is "same-host"; too little to compare is "unknown".
 */
export function vantageOf(t: ConnectionTimeline): VantageReading {
  const b = t.brokerAnswerMs ?? null;
  const c = t.clientAnswerMs ?? null;
  const rttMs = b === null && c === null ? null : Math.max(b ?? 0, c ?? 0);
  const reading = (vantage: Vantage): VantageReading => ({
    vantage,
    rttMs,
    brokerAnswerMs: b,
    clientAnswerMs: c,
  });
  if (t.client.addr === t.broker.addr || (LOOPBACK.test(t.client.addr) && LOOPBACK.test(t.broker.addr)))
    return reading("same-host");
  if (b === null || c === null) return reading("unknown");
  if (b > RATIO * c && b > LOCAL_ANSWER_MS) return reading("client");
  if (c > RATIO * b && c > LOCAL_ANSWER_MS) return reading("broker");
  return reading("unknown");
}

/** What a capture taken there cannot show, whatever the connection. */
export type Blindness = "client-send-times" | "broker-arrival-times" | "arrival-times" | "nothing";

export function blindnessOf(vantage: Vantage): Blindness {
  switch (vantage) {
    case "broker":
      return "client-send-times";
    case "client":
      return "broker-arrival-times";
    case "same-host":
      return "nothing";
    case "unknown":
      return "arrival-times";
  }
}
