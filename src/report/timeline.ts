import { durationText, fixedSeconds, formatSeconds } from "../core/seconds.js";
import type { ScenarioResult } from "../scenarios/types.js";
import { closedText } from "./close-words.js";
import { wrapText } from "./scenario-layout.js";

export interface TimelineEntry {
  /** Clock ms since the scenario started. */
  at: number;
  source: "client" | "broker" | "log";
  text: string;
}

/** Lines a timeline shows at most; the rest are counted. */
export const TIMELINE_MAX = 40;

/**
 * The scenario's events in time order: the clients' packets (not the control's routine pings), the broker's
 * keepalive ticks, kick and closes (embedded broker), and the signature lines.
 */
export function timelineEntries(s: ScenarioResult): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const control = new Set(s.clients.filter((c) => c.control).map((c) => c.clientId));
  for (const c of s.clients) {
    if (c.connectedAt !== null)
      out.push({ at: c.connectedAt, source: "client", text: `${c.clientId} connected` });
    if (!control.has(c.clientId)) {
      for (const e of c.events) {
        if (e.dir === "out" && e.packet !== "connect" && e.packet !== "tcp-connect")
          out.push({ at: e.at, source: "client", text: `${c.clientId} → ${e.packet}` });
        if (e.dir === "in" && e.packet === "disconnect")
          out.push({ at: e.at, source: "client", text: `${c.clientId} ← disconnect` });
      }
    }
    if (c.closedAt !== null)
      out.push({
        at: c.closedAt,
        source: "client",
        text: `${c.clientId} ${closedText(c)}`,
      });
  }
  for (const e of s.trace) {
    if (e.type === "tick" && e.clientId !== null && !control.has(e.clientId))
      out.push({
        at: e.at,
        source: "broker",
        text: `tick ${e.clientId}${e.counter !== undefined ? ` n=${e.counter}` : ""}${e.kicked ? " → kick" : ""}`,
      });
    else if (e.type === "kick")
      out.push({
        at: e.at,
        source: "broker",
        text: `kick ${e.clientId}: silent ${formatSeconds(e.at - e.lastInboundAt)}, limit ${durationText(e.limitMs)}`,
      });
    else if (e.type === "close" && !(e.clientId !== null && control.has(e.clientId)))
      out.push({ at: e.at, source: "broker", text: `close ${e.clientId ?? "(no id)"}: ${e.cause}` });
  }
  for (const g of s.signatures) {
    const detail = Object.entries(g.detail)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    out.push({
      at: g.at,
      source: "log",
      text: `${g.id}${detail ? ` (${detail})` : ""}${g.clientId ? ` ${g.clientId}` : ""}`,
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The text timeline, `width` columns wide: `  35.0 s  broker  kick mqdiag-late-ping-1: …`, at most `max` events. */
export function timelineText(s: ScenarioResult, width = 100, max = TIMELINE_MAX): string {
  const entries = timelineEntries(s);
  const lines = entries.slice(0, max).flatMap((e) => {
    const prefix = `  ${fixedSeconds(e.at).padStart(7)} s  ${e.source.padEnd(6)}  `;
    return wrapText(e.text, width, prefix, " ".repeat(prefix.length + 2));
  });
  if (entries.length > max) lines.push(`  … ${entries.length - max} more events`);
  return lines.join("\n");
}
