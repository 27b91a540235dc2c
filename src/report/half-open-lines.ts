import { fixedSeconds, formatSeconds, secondsOrNull as sec } from "../core/seconds.js";
import { type HalfOpenOutcome, tcpKeepaliveDeadS } from "../scenarios/half-open-outcome.js";
import type { ScenarioResult } from "../scenarios/types.js";
import { wrapText } from "./scenario-layout.js";
import { subjectLibraryText } from "./subject-library-words.js";

function window(h: HalfOpenOutcome, from: number): string {
  if (h.predictedFromMs === null || h.predictedToMs === null) return "model: never";
  const a = h.predictedFromMs - from;
  const b = h.predictedToMs - from;
  return `model ${a === b ? formatSeconds(a) : `${fixedSeconds(a)}–${formatSeconds(b)}`}`;
}

/** The second net, worded once: what TCP keepalive would do, and that the brokers do not turn it on. */
export function tcpKeepaliveText(h: HalfOpenOutcome): string {
  const k = h.tcpKeepalive;
  const total = tcpKeepaliveDeadS(k);
  return (
    `second net: TCP keepalive (SO_KEEPALIVE), only where the broker enables it on client sockets — neither ` +
    `mosquitto 2.0.11 nor NanoMQ 0.21.9 or 0.25.3 does (no keepalive timer on their client sockets in ss -o). ` +
    `With Linux's ` +
    `defaults (tcp_keepalive_time ${k.idleS} s, ` +
    `${k.probes} probes every ${k.intervalS} s) a silent peer is declared dead after ${total} s ` +
    `(${Math.floor(total / 3600)} h ${Math.round((total % 3600) / 60)} min): with keepalive 0, or a broker that ` +
    `does not enforce it, that is how long the connection and its session linger — or forever, unless the broker ` +
    `writes to it (then TCP's retransmission gives up after ~15 min, net.ipv4.tcp_retries2 = 15)`
  );
}

/** The table report's lines for `half-open`. */
export function halfOpenLines(h: HalfOpenOutcome, r: ScenarioResult, width: number): string[] {
  const last = h.lastInboundAt ?? 0;
  const closed =
    h.brokerClosedAt === null
      ? `the broker had not ended the half-open connection by ${formatSeconds(r.durationMs)} (${window(h, last)} after ${formatSeconds(last)})`
      : `the broker ended the half-open connection at ${formatSeconds(h.brokerClosedAt)}, ${formatSeconds(h.brokerClosedAt - last)} after ` +
        `the last packet it got (${window(h, last)}): its keepalive is the net; the client never saw that close`;
  const client =
    h.clientTimeoutAt === null
      ? []
      : [
          `the client's own keepalive gave up at ${formatSeconds(h.clientTimeoutAt)}; its FIN was lost on the dead link too, ` +
            `so the broker learnt nothing from it`,
        ];
  return [
    ...(h.library ? [`client: ${subjectLibraryText(h.library)}`] : []),
    `link silent both ways from ${formatSeconds(h.silentAt)} (no FIN, no RST: power loss); last packet at the broker ${formatSeconds(last)}`,
    closed,
    ...client,
    tcpKeepaliveText(h),
  ].flatMap((t) => wrapText(t, width, "  ", "    "));
}

/** `half-open`'s member of `network` in its scenario object (seconds, as the rest of the report). */
export function halfOpenJson(h: HalfOpenOutcome) {
  return {
    halfOpen: {
      clientId: h.clientId,
      ...(h.library ? { library: h.library } : {}),
      keepalive: h.keepaliveMs / 1000,
      silentAt: sec(h.silentAt),
      lastInboundAt: sec(h.lastInboundAt),
      brokerClosedAt: sec(h.brokerClosedAt),
      predictedFrom: sec(h.predictedFromMs),
      predictedTo: sec(h.predictedToMs),
      clientTimeoutAt: sec(h.clientTimeoutAt),
      tcpKeepalive: { ...h.tcpKeepalive, deadAfter: tcpKeepaliveDeadS(h.tcpKeepalive) },
    },
  };
}
