import { fixedSeconds } from "../core/seconds.js";
import type { KeepaliveRace } from "../scenarios/network-outcome.js";
import {
  brokerRule,
  clientRule,
  EVENT,
  FORECAST,
  linkText,
  reconnectText,
  sec,
} from "./network-race-words.js";
import { wrapText } from "./scenario-layout.js";

/** The table report's lines for network-stall's and pingresp-lost's keepalive race. */
export function raceLines(r: KeepaliveRace, width: number): string[] {
  const seen = r.seen;
  const p = r.predicted;
  const who =
    seen.first !== null
      ? `${seen.first} first`
      : seen.oldConnectionEndedBy === "open"
        ? "neither gave up"
        : "who was first is not known (the broker's side was not observed)";
  const kick =
    seen.brokerKickedAt !== null
      ? `the broker kicked at ${sec(seen.brokerKickedAt)}`
      : `the broker would have kicked at ${p.brokerKickFrom === p.brokerKickTo ? sec(p.brokerKickFrom) : `${sec(p.brokerKickFrom)}–${sec(p.brokerKickTo)}`}`;
  const ended =
    seen.oldConnectionEndedBy === null
      ? "old connection: the broker's side was not observed"
      : seen.oldConnectionEndedBy === "open"
        ? "old connection still open"
        : `old connection ended by ${seen.oldConnectionEndedBy}${seen.takeoverAt !== null ? ` at ${sec(seen.takeoverAt)}` : ""}`;
  const lines = r.lines.map((l) =>
    l.detail.rv !== undefined
      ? `${l.id} rv ${l.detail.rv}`
      : l.detail.reason
        ? `${l.id} (${l.detail.reason})`
        : l.id,
  );
  const wrap = (text: string) => wrapText(text, width, "  ", "    ");
  const out = [
    ...wrap(
      `race: ${who} — the client gave up at ${sec(seen.clientGaveUpAt)} (predicted ${sec(p.clientGivesUpAt)}), ${kick}; model: ${FORECAST[p.first]}`,
    ),
    ...wrap(`why: keepalive ${r.keepaliveMs / 1000} s; ${clientRule(r)}; ${brokerRule(r)}`),
    ...wrap(`link: ${linkText(r.link.faults)}; the client ${reconnectText(r.reconnect)}`),
    ...wrap(`${ended}; lines it caused: ${lines.length > 0 ? lines.join(", ") : "none"}`),
    ...wrap(
      `forecast before the run: ${FORECAST[r.forecast.first]}, old connection ends by ${r.forecast.oldConnectionEnds}`,
    ),
    "  race timeline (both sides):",
  ];
  for (const e of r.timeline) {
    const prefix = `  ${fixedSeconds(e.at).padStart(7)} s  ${e.side.padEnd(6)}  `;
    out.push(...wrapText(EVENT[e.what], width, prefix, " ".repeat(prefix.length + 2)));
  }
  return out;
}
