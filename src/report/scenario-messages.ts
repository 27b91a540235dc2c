import type { Check } from "../scenarios/types.js";
import { raceCheckText } from "./network-race-words.js";

/** The one place scenario check codes and explanation codes become words. */
export function checkText(c: Check): string {
  const a = c.args;
  switch (c.code) {
    case "signature-seen":
      return c.ok
        ? `${a.id}${detailText(a)} seen at ${fmtS(a.atMs)}`
        : `${a.id}${detailText(a)} expected but not seen`;
    case "signature-absent":
      return c.ok ? `no ${a.id}, as expected` : `${a.id} seen at ${fmtS(a.atMs)} but not expected`;
    case "control-not-kicked":
      if (a.simulatedKick)
        return `the healthy control client was kicked at ${fmtS(a.closedAtMs)}, as the simulated tick fault allows`;
      return c.ok
        ? "the healthy control client was not kicked"
        : `the healthy control client was closed at ${fmtS(a.closedAtMs)}`;
    case "kick-in-window":
      return kickText(a);
    case "survived":
      return c.ok
        ? `${a.clientId} pinging every ${a.intervalS} s survived ${a.gaps} gaps`
        : `${a.clientId} pinging every ${a.intervalS} s was kicked`;
    case "broker-closed":
      if (a.variant !== undefined)
        return `${a.variant}: broker ${a.closed ? "closed" : "kept"} the connection (expected ${a.expected ? "close" : "open"})`;
      if (a.afterS !== undefined)
        return `broker closed ${a.clientId} after ${fmtNum(a.afterS)} s (expected ${rangeText(a.fromS, a.toS)} s)`;
      return `${a.clientId}: ${c.ok ? "closed by the broker" : "not closed by the broker"}${a.closeKind ? ` (${a.closeKind})` : ""}`;
    case "client-outcome":
      if (a.race !== undefined) return raceCheckText(a);
      return `${a.clientId}: ${Object.entries(a)
        .filter(([k]) => k !== "clientId")
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")}`;
  }
}

/**
 * `late-ping-1 kicked 85 s after its last packet (model 80–90 s), 145 s after CONNECT (predicted 145 s), ±1.2 s`.
 * The phase-free window after the last packet is shown only when the delay lies in it: a client silent since
 * just after its CONNECT waits for NanoMQ's first tick (1.5·Q) and only the prediction from CONNECT applies.
 */
function kickText(a: Check["args"]): string {
  if (a.kicked === false) return `${a.clientId} was not kicked`;
  const delay = Number(a.delayS);
  const tol = Number(a.toleranceS);
  const inWindow =
    typeof a.windowMinS === "number" &&
    typeof a.windowMaxS === "number" &&
    delay >= a.windowMinS - tol &&
    delay <= a.windowMaxS + tol;
  const model = inWindow ? ` (model ${rangeText(a.windowMinS, a.windowMaxS)} s)` : "";
  const fromConnect =
    typeof a.predictedFromS === "number"
      ? `, ${fmtNum(a.sinceConnectS)} s after CONNECT (predicted ${rangeText(a.predictedFromS, a.predictedToS)} s)`
      : "";
  return `${a.clientId} kicked ${fmtNum(delay)} s after its last packet${model}${fromConnect}, ±${fmtNum(tol)} s`;
}

function detailText(a: Check["args"]): string {
  if (a.rv !== undefined) return ` rv ${a.rv}`;
  if (a.reason !== undefined) return ` (${a.reason})`;
  return "";
}

const fmtNum = (v: unknown) => (typeof v === "number" ? String(Math.round(v * 10) / 10) : "?");
const fmtS = (ms: unknown) => (typeof ms === "number" ? `${(ms / 1000).toFixed(1)} s` : "?");
const rangeText = (from: unknown, to: unknown) =>
  from === to ? `${fmtNum(from)}` : `${fmtNum(from)}–${fmtNum(to)}`;

/** Why a scenario was skipped, per reason code. */
export const SKIP_REASONS: Record<string, string> = {
  "fault-needs-embedded-broker":
    "not run: the fault is injected into the embedded broker's retained store, which an external broker does not expose (a well-formed client cannot corrupt a stored message over the wire)",
};

/** One line per scenario explanation code. */
export const EXPLANATIONS: Record<string, string> = {
  "kick-after-last-inbound":
    "the broker counts only inbound packets; a late PINGREQ lets the keepalive timer run out. On NanoMQ rv 139 follows every recv error; the line before it names the cause",
  "inbound-only-counts":
    "receiving messages does not keep a client alive: only packets it sends reset the broker's keepalive timer",
  "peer-gone-then-rv139":
    "the peer went away (RST or FIN without DISCONNECT): NanoMQ logs `Connection shutdown` then rv 139, never a keepalive kick",
  "malformed-line-then-rv":
    "the broker names the bad packet, then closes; NanoMQ's rv says which kind (17 oversize length, 129 malformed, 130 protocol error)",
  "retain-store-corrupted":
    "the stored copy of a retained message no longer decodes: a broker-side storage problem a well-formed client cannot cause",
  "takeover-then-rv139":
    "a second connection with the same client id closes the first [MQTT-3.1.4-2]; on NanoMQ `Object closed` then rv 139 follow",
  "no-connect-timeout": "a connection that never sends CONNECT is closed after the broker's connect timeout",
  "half-open-keepalive-net":
    "a client that vanishes without FIN or RST leaves a half-open connection: nothing reaches the broker, so only its keepalive ends the connection and the session; TCP keepalive is a far slower second net, and only where SO_KEEPALIVE is on",
  "latency-eats-keepalive":
    "latency delays every PINGREQ by a one-way trip and every PINGRESP by another: the broker sees gaps of keepalive + a round trip, and MQTT.js gives up when a round trip reaches half a keepalive",
  "session-resume-counts":
    "what a kicked client gets back depends on its session and the broker: a clean session or QoS 0 gets nothing published while it was away; a persistent one at QoS 1/2 gets all of it at once from mosquitto, one message per retry_interval from NanoMQ 0.25.3, none from NanoMQ 0.21.9",
  "reconnect-storm-rate":
    "clients dropped together come back together: with no backoff the broker sees them all within a moment; backoff with jitter spreads the connects over the first wait",
  "keepalive-budget":
    "ping at most every `largest safe` interval: the number behind lowering the client's keepalive (or, on NanoMQ, raising mqtt.keepalive_multiplier)",
  "network-stall-race":
    "a half-open link: the client's own keepalive (MQTT.js: 1.5 × KA after its last PINGRESP) races the broker's; if the client gives up first, its reconnect with the same id takes the old session over (takeover lines), else the broker's keepalive kick ends it",
  "pingresp-lost-race":
    "PINGRESPs lost on the way back: the broker sees every PINGREQ and never kicks, the client gives up at 1.5 × KA; its reconnect takes over the connection the broker still holds",
};
