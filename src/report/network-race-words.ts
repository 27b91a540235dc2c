import { durationText, formatSeconds } from "../core/seconds.js";
import type { ReconnectPolicy } from "../fleet/reconnect-policy.js";
import { mosquittoLimitSeconds } from "../keepalive/mosquitto-arithmetic.js";
import type { LinkFault } from "../link/types.js";
import type { RaceArgs } from "../scenarios/check.js";
import type { KeepaliveRace, RaceEvent, RaceForecast } from "../scenarios/network-outcome.js";
import { subjectLibraryText } from "./subject-library-words.js";

/** Words for the keepalive race of network-stall and pingresp-lost: the one place its codes become prose. */
export const sec = (ms: number | null) => (ms === null ? "never" : formatSeconds(ms));

function faultText(f: LinkFault): string {
  const ways = "direction" in f && f.direction && f.direction !== "both" ? ` ${f.direction}` : " both ways";
  switch (f.kind) {
    case "stall": {
      const how = f.forMs === null || f.forMs === undefined ? "for good" : `for ${durationText(f.forMs)}`;
      const scope = f.scope === "existing" ? ", new connections pass" : ", new connections held too";
      return `stall${ways} from ${durationText(f.atMs ?? 0)} ${how}${scope}`;
    }
    case "drop":
      return `every ${f.packet.toUpperCase()} dropped`;
    case "delay":
      return `every ${f.packet.toUpperCase()} delayed ${durationText(f.delayMs)}`;
    case "slow-close":
      return `FIN/RST passed on ${durationText(f.delayMs)} late${ways}`;
    case "latency":
      return `latency ${durationText(f.latencyMs)}${f.jitterMs ? ` ± ${durationText(f.jitterMs)}` : ""}${ways}`;
    case "bandwidth":
      return `bandwidth ${f.bytesPerSecond} B/s${ways}`;
    case "reset":
      return `reset${ways} at ${durationText(f.atMs)}`;
  }
}

export function linkText(faults: readonly LinkFault[]): string {
  return faults.length === 0 ? "no fault" : faults.map(faultText).join("; ");
}

export function reconnectText(p: ReconnectPolicy): string {
  switch (p.kind) {
    case "none":
      return "no reconnect";
    case "immediate":
      return "reconnects at once";
    case "backoff":
      return `reconnects with backoff from ${durationText(p.initialMs)} up to ${durationText(p.maxMs)}, jitter ${p.jitter ?? 0}`;
  }
}

/** Why the broker kicks when it does: the profile's keepalive model with this run's numbers. */
export function brokerRule(r: KeepaliveRace): string {
  const ka = r.keepaliveMs;
  switch (r.profile) {
    case "nanomq":
      return `NanoMQ ticks every Q ${durationText(r.retryIntervalMs)} (from 1.5·Q after CONNECT) and kicks at the first tick with n·Q > KA·M = ${durationText(ka * r.keepaliveMultiplier)} (n: ticks since the last inbound packet)`;
    case "mosquitto":
      return `mosquitto sweeps every ~6 s and kicks once the silence exceeds ⌊1.5 × KA⌋ = ${mosquittoLimitSeconds(ka)} s in whole seconds`;
    case "spec":
      return `the spec kicks 1.5 × KA = ${durationText(1.5 * ka)} after the last inbound packet [MQTT-3.1.2-24]`;
  }
}

export function clientRule(r: KeepaliveRace): string {
  const l = r.library;
  if (l)
    return `${subjectLibraryText(l)}; once its connection is gone, its reconnect is an MQTT.js session with its client id`;
  return `MQTT.js gives up 3 × ⌈KA/2⌉ = ${durationText(3 * Math.ceil(r.keepaliveMs / 2))} after its last PINGRESP (or CONNACK), the first that did not come`;
}

export const FORECAST: Record<RaceForecast, string> = {
  client: "the client first",
  broker: "the broker first",
  tie: "a tie (the same deadline, a round trip apart: whichever timer fires first)",
  either: "either (the broker's kick window holds the client's deadline)",
  none: "neither (the fault ends before both deadlines, or neither side's rule ends the connection)",
};

export const EVENT: Record<RaceEvent["what"], string> = {
  connected: "connected (CONNACK)",
  pingreq: "→ PINGREQ",
  pingresp: "← PINGRESP",
  fault: "the fault begins",
  "client-gave-up": "client gave up: Keepalive timeout (no PINGRESP)",
  reconnected: "reconnected with the same client id (CONNACK)",
  "broker-kicked": "broker kicked the old connection (keepalive)",
  takeover: "broker: takeover, the old connection closed",
  "peer-closed": "broker saw the old connection closed by the client",
  disconnect: "broker got the client's DISCONNECT on the old connection",
};

const secArg = (v: number | null | undefined) => (typeof v === "number" ? formatSeconds(v * 1000) : "never");

/** A race check (code client-outcome, `args.race` the step) in words. */
export function raceCheckText(a: RaceArgs): string {
  const id = a.clientId;
  switch (a.race) {
    case "first":
      return `${id}: ${a.seen === null ? "nobody" : `the ${a.seen}`} gave up first (model: ${FORECAST[a.predicted]})`;
    case "client-gave-up":
      return `${id} gave up at ${secArg(a.atS)} (${a.library ?? "MQTT.js"}'s rule: ${secArg(a.predictedS)}${a.predictedToS !== undefined && a.predictedToS !== a.predictedS ? `–${secArg(a.predictedToS)}` : ""}), ±${a.toleranceS} s`;
    case "broker-kicked":
      return `broker kicked ${id} at ${secArg(a.atS)} (model: ${a.fromS === a.toS ? secArg(a.fromS) : `${secArg(a.fromS)}–${secArg(a.toS)}`}), ±${a.toleranceS} s`;
    case "old-connection-ended-by":
      return `${id}'s old connection ended by ${a.seen ?? "nothing seen"} (model: ${a.predicted})`;
  }
}
