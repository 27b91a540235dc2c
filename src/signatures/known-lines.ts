import { templatePattern } from "./render.js";
import type { LineTemplate } from "./types.js";

/**
 * Lines real NanoMQ builds print at `warn` that are neither a signature nor part of an incident: the classifier
 * counts them (so a log full of them reads as understood, not as unknown) and `mqdiag explain` says what they mean,
 * but they never start or end an incident. `pipe-close` (INFO) is read apart: it names incidents (src/logs/pipe-close.ts). The embedded broker prints `sleep aio error 7` after a close as 0.25
 * does; the other two come from a message in flight as a pipe closes, a race it does not reproduce (the fidelity
 * suite's named difference `pub-to-closing-pipe`). Measured on 0.21.9 and 0.25.3 (test/fixtures/logs/nanomq-real-*).
 */
export interface KnownLine {
  id: string;
  title: string;
  meaning: string;
  template: LineTemplate;
}

export const KNOWN_LINES: readonly KnownLine[] = [
  {
    id: "pub-to-gone-pipe",
    title: "Message for a pipe that just closed (known line, not an incident)",
    meaning:
      "NanoMQ had a message for a subscriber whose pipe closed a moment before, and dropped it. It follows a close (a kick, a reset, a DISCONNECT): look at that incident, not at this line.",
    template: {
      key: "pipe-gone",
      dialect: "nanomq",
      level: "WARN",
      text: "pipe id {pipeId} is gone, pub failed",
      func: "nano_ctx_send",
      file: "nng/src/sp/protocol/mqtt/nmq_mqtt.c:397",
    },
  },
  {
    id: "timer-cancelled",
    title: "A closing pipe's keepalive timer was cancelled (known line, not an incident)",
    meaning:
      "`sleep aio error 7` (7 = NNG_ECLOSED): the per-connection keepalive timer of a pipe that is closing was cancelled. NanoMQ 0.25 prints it after most closes, clean DISCONNECTs included; it says nothing about why the pipe closed.",
    template: {
      key: "sleep-aio",
      dialect: "nanomq",
      level: "WARN",
      text: "sleep aio error {rv}",
      func: "nano_pipe_timer_cb",
      file: "nng/src/sp/protocol/mqtt/nmq_mqtt.c:184",
    },
  },
  {
    id: "timer-on-closing-pipe",
    title: "A closing pipe's keepalive timer fired (known line, not an incident)",
    meaning:
      "`pipe is already closed` (0.25): the per-connection keepalive timer fired just as its pipe was closing, and did nothing. It stands where `sleep aio error 7` would have been had the close come a moment sooner (one or the other per closing pipe, read in nano_pipe_timer_cb); it says nothing about why the pipe closed.",
    template: {
      key: "pipe-closed",
      dialect: "nanomq",
      level: "WARN",
      text: "pipe is already closed",
      func: "nano_pipe_timer_cb",
      file: "nng/src/sp/protocol/mqtt/nmq_mqtt.c:239",
    },
  },
  {
    id: "queue-dropping",
    title: "A client's message queue is full: messages for it are dropped (known line, not an incident)",
    meaning:
      "mosquitto logs it once when a client's queue (max_queued_messages, default 1000; QoS 1/2 messages kept for an offline persistent session or waiting past its in-flight limit) is full and it starts dropping what else is published for it. The client keeps its connection or session; the dropped messages never reach it. Raise max_queued_messages (or max_queued_bytes), or have the client come back sooner.",
    template: {
      key: "dropping",
      dialect: "mosquitto",
      level: "NOTICE",
      text: "Outgoing messages are being dropped for client {clientId}.",
    },
  },
  {
    id: "pipe-close",
    title: "NanoMQ names a closed connection: client id, IP, reason code (known line, not an incident)",
    meaning:
      "`<client-id> pipe close! pipe=<id> reason_code=0x.. ip=… clean_start=…` (INFO, 0.25; 0.21.9 has no such line): written once for every connection that closes after its CONNECT, with the pipe id the kick line prints. `mqdiag logs` names incidents from it: 0x8d the kick with the same pipe id, 0x8b a client that reset or closed its connection, 0x81/0x82/0x11 a malformed packet, 0x07 a rejected PUBLISH, 0x00 a clean DISCONNECT (or, right after a collision line, the old connection of a takeover). Set `log.level = info` to have it.",
    template: {
      key: "pipe-close",
      dialect: "nanomq",
      level: "INFO",
      text: "{clientId} pipe close! pipe={pipeId} reason_code=0x{reason} ip={ip} clean_start={clean}",
      func: "nano_pipe_close",
      file: "nng/src/sp/protocol/mqtt/nmq_mqtt.c:882",
    },
  },
  {
    id: "send-to-closed-pipe",
    title: "A send on a pipe that just closed (known line, not an incident)",
    meaning:
      "` send aio error Object closed(7)` (0.25; 0.21.9 prints it without the number): the broker was still sending to a connection it had just closed, so the send was cancelled. It follows a close: look at that incident, not at this line.",
    template: {
      key: "send-aio",
      dialect: "nanomq",
      level: "WARN",
      text: "send aio error {reason}",
      func: "nmq_tcptran_pipe_send_cb",
      file: "nng/src/sp/transport/mqtt/broker_tcp.c:608",
    },
  },
];

const COMPILED = KNOWN_LINES.map((line) => ({
  line,
  anchor: line.template.text.split(/\{\w+\}/).reduce((a, b) => (b.length > a.length ? b : a), ""),
  pattern: templatePattern(line.template),
}));

/** The known line `text` carries (from index `from`), if any. */
export function matchKnownLine(text: string, from = 0): { line: KnownLine; text: string } | undefined {
  for (const c of COMPILED) {
    if (!text.includes(c.anchor, from)) continue;
    const m = c.pattern.exec(from > 0 ? text.slice(from) : text);
    if (m) return { line: c.line, text: m[0] };
  }
  return undefined;
}
