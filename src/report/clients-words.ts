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

/** One sentence per library: what happens to its idle connection, for JUnit and notes. */
export function clientVerdictLine(row: ClientSurveyRow): string {
  const { model: m, verdict: v } = row;
  const margin = v.marginMs === null ? "" : `, margin ${humanMs(v.marginMs)}`;
  const gap = `pings every ${rangeText(v.pingGapMs, "(never pings)")}`;
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
