import type { ServerKeepalive } from "../core/profile.js";
import type { ClientSurveyRow } from "../keepalive/clients/survey.js";
import type { MsRange } from "../keepalive/clients/types.js";
import { humanMs } from "./config-messages.js";

/** "4 s", "3.3–4.3 s", or `none` for null. */
export function rangeText(r: MsRange | null, none = "never"): string {
  if (r === null) return none;
  if (r.minMs === r.maxMs) return humanMs(r.minMs);
  return `${humanMs(r.minMs).replace(/ s$/, "")}–${humanMs(r.maxMs)}`;
}

/** "broker", or "broker ~50%" when the outcome depends on phase (the share of phases in which it surely ends). */
export function firstToActText(row: ClientSurveyRow): string {
  const v = row.verdict;
  if (!v.dependsOnPhase) return v.firstToAct;
  return `${v.firstToAct} ~${Math.round(v.endsShare * 100)}%`;
}

/** "measured", "model", or "model†" for a library that does not run here (model from source only). */
export function sourceText(row: ClientSurveyRow): string {
  const m = row.model;
  if (m.source === "measured") return "measured";
  return m.runnableHere ? "model" : "model†";
}

/**
 * Its idle PINGREQ rhythm: the gap between them; a library that gives up before its second has no gap, only its one
 * PINGREQ (`once`); null when it never pings.
 */
export function pingRhythm(v: ClientSurveyRow["verdict"]): { gap: string } | { once: string } | null {
  if (v.pingGapMs !== null) return { gap: rangeText(v.pingGapMs) };
  if (v.firstPingMs !== null) return { once: rangeText(v.firstPingMs) };
  return null;
}

/** The table's ping-gap cell: "4 s", "once, at 6.4 s", "no pings". */
export function pingGapCell(v: ClientSurveyRow["verdict"]): string {
  const r = pingRhythm(v);
  if (r === null) return "no pings";
  return "gap" in r ? r.gap : `once, at ${r.once}`;
}

/** One sentence per library: what happens to its idle connection, for JUnit and notes. */
export function clientVerdictLine(row: ClientSurveyRow): string {
  const { model: m, verdict: v } = row;
  const margin = v.marginMs === null ? "" : `, margin ${humanMs(v.marginMs)}`;
  const rhythm = pingRhythm(v);
  const gap =
    rhythm === null
      ? "never pings"
      : "gap" in rhythm
        ? `pings every ${rhythm.gap}`
        : `pings once, at ${rhythm.once}, and gives up before another`;
  const phase = v.dependsOnPhase
    ? ` (depends on phase: ends surely in ${Math.round(v.endsShare * 100)} % of the phases sampled)`
    : "";
  switch (v.firstToAct) {
    case "nobody":
      return `${m.name} ${m.versions}: survives; ${gap}${margin}`;
    case "broker":
      return `${m.name} ${m.versions}: kicked by the broker at ${rangeText(v.brokerKicksAtMs)} after its CONNECT; ${gap}${margin}${phase}`;
    case "client":
      return `${m.name} ${m.versions}: gives up by itself at ${rangeText(v.clientGivesUpAtMs)} after its CONNECT (a PINGRESP too late); ${gap}${margin}${phase}`;
    case "tie":
      return `${m.name} ${m.versions}: the broker's kick (${rangeText(v.brokerKicksAtMs)}) and its own give-up (${rangeText(v.clientGivesUpAtMs)}) meet; ${gap}${phase}`;
  }
}

/** The header line under a Server Keep Alive rule. */
export function serverKeepaliveText(rule: ServerKeepalive): string {
  return rule.rule === "impose"
    ? `the broker tells every MQTT 5 client keepalive ${rule.seconds} s (Server Keep Alive)`
    : `max_keepalive ${rule.seconds}: an MQTT 5 client asking more, or 0, is told ${rule.seconds} s (Server Keep Alive)`;
}

/** What one library told a Server Keep Alive does with it, and what that means for its kick. */
export function serverKeepAliveLine(row: ClientSurveyRow): string {
  const { model: m, verdict: v } = row;
  const k = v.keepalive;
  const told = `told ${k.toldS} s`;
  switch (m.serverKeepAlive.handling) {
    case "honours":
      return `${m.name}: ${told}, pings with it (${m.serverKeepAlive.evidence})`;
    case "ignores":
      return `${m.name}: ${told} but IGNORES it: pings with its own ${humanMs(k.pingsWithMs)} while the broker watches ${humanMs(k.brokerWatchesMs)} (${m.serverKeepAlive.evidence})`;
    case "unknown":
      return `${m.name}: ${told}; whether it honours it is unknown (${m.serverKeepAlive.evidence}): assumed to, as the spec requires`;
    case "mqtt311-only":
      return `${m.name}: never told (MQTT 3.1.1 only)`;
  }
}
