import { formatSeconds, secondsOrNull as sec, seconds } from "../core/seconds.js";
import type { MsRange } from "../keepalive/clients/types.js";
import type { ClientLibraryOutcome } from "../scenarios/client-library-outcome.js";
import { wrapText } from "./scenario-layout.js";
import { notRealText } from "./subject-library-words.js";

const range = (r: MsRange | null, never = "never") =>
  r === null
    ? never
    : r.minMs === r.maxMs
      ? `${seconds(r.minMs)} s`
      : `${seconds(r.minMs)}–${seconds(r.maxMs)} s`;

/**
 * The glance view's one sentence, most telling first (the view cuts it to the width): which client ran, what
 * happened, and why in numbers — its ping rhythm against when this broker kicks it, and how often where that
 * depends on phase: "real MQTT-C 1.1.6 kicked at 5.5 s: pings every 6.0 s, broker kicks at 5.5 s".
 */
export function clientLibrarySummary(o: ClientLibraryOutcome): string {
  const f = o.forecast;
  const s = (ms: number) => formatSeconds(ms).replace(/ s$/, "");
  const span = (r: MsRange) =>
    s(r.minMs) === s(r.maxMs) ? `${s(r.minMs)} s` : `${s(r.minMs)}–${s(r.maxMs)} s`;
  const who = o.library.real
    ? `real ${o.library.name} ${o.library.version}`
    : `${o.library.name} ${o.library.version}'s model`;
  const seen =
    o.seen.first === "broker"
      ? `kicked at ${formatSeconds(o.seen.kickedAtMs ?? 0)}`
      : o.seen.first === "client"
        ? `gave up at ${formatSeconds(o.seen.clientEndedAtMs ?? 0)}`
        : `survived ${formatSeconds(o.observedMs)}`;
  const pings = f.pingGapMs === null ? "never pings" : `pings every ${span(f.pingGapMs)}`;
  const kick =
    f.brokerKicksAtMs === null
      ? "broker never kicks it"
      : f.dependsOnPhase
        ? `kicked in ~${Math.round(f.endsShare * 100)} % of phases (${span(f.brokerKicksAtMs)})`
        : `broker kicks at ${span(f.brokerKicksAtMs)}`;
  const giveUp = f.clientGivesUpAtMs === null ? "" : `, gives up at ${span(f.clientGivesUpAtMs)}`;
  return `${who} ${seen}: ${pings}, ${kick}${giveUp}`;
}

/** The table report's lines for `client-library`: which library ran, its rule, the forecast and what was seen. */
export function clientLibraryLines(o: ClientLibraryOutcome, width: number): string[] {
  const f = o.forecast;
  const what = o.library.real
    ? "the real library"
    : o.library.notRealBecause === undefined
      ? "its model"
      : `its model (${notRealText(o.library.notRealBecause)})`;
  const seen =
    o.seen.first === "broker"
      ? `the broker kicked it ${seconds(o.seen.kickedAtMs ?? 0)} s after its CONNECT`
      : o.seen.first === "client"
        ? `the client ended its connection ${seconds(o.seen.clientEndedAtMs ?? 0)} s after its CONNECT${o.seen.lost ? ` (${o.seen.lost})` : ""}`
        : `nobody ended it in ${seconds(o.observedMs)} s`;
  const gaps =
    o.seen.pingGapsMs.length > 0
      ? `; gaps the broker saw: ${o.seen.pingGapsMs.map((g) => seconds(g)).join(", ")} s`
      : "";
  const phase = f.dependsOnPhase
    ? ` It depends on where its clocks and the broker's ticks fall: the connection ends in ${Math.round(f.endsShare * 100)} % of the phases.`
    : "";
  const k = f.keepalive;
  const told =
    k.toldS === null
      ? []
      : wrapText(
          k.pingsWithMs === k.brokerWatchesMs
            ? `the broker told it keepalive ${k.toldS} s (Server Keep Alive) and it pings with that`
            : `the broker told it keepalive ${k.toldS} s (Server Keep Alive), but it IGNORES it: it pings with its own ${seconds(k.pingsWithMs)} s while the broker kicks by ${k.toldS} s`,
          width,
          "  ",
          "    ",
        );
  return [
    ...wrapText(`${o.library.name} ${o.library.version}, ${what}: ${o.rule}`, width, "  ", "    "),
    ...told,
    ...wrapText(
      `keepalive ${seconds(o.keepaliveMs)} s, application loop every ${seconds(o.loopIntervalMs)} s: it pings every ${range(f.pingGapMs)} (first ${range(f.firstPingMs)}), ${f.giveUpAfterPingMs === null ? "never gives up by itself" : `gives up ${range(f.giveUpAfterPingMs)} after an unanswered PINGREQ`}; ${f.brokerKicksAtMs === null ? "this broker never kicks it" : `this broker kicks it ${range(f.brokerKicksAtMs)} after its CONNECT`} — forecast: ${f.firstToAct === "nobody" ? "it survives" : `the ${f.firstToAct} acts first`}.${phase}`,
      width,
      "  ",
      "    ",
    ),
    ...wrapText(`seen: ${seen}${gaps}`, width, "  ", "    "),
  ];
}

/** The JSON member `client-library` adds to its scenario object (seconds). */
export function clientLibraryJson(o: ClientLibraryOutcome) {
  const r = (x: MsRange | null) => (x === null ? null : { from: sec(x.minMs), to: sec(x.maxMs) });
  return {
    clientLibrary: {
      library: o.library,
      keepalive: o.keepaliveMs / 1000,
      loopInterval: o.loopIntervalMs / 1000,
      ...(o.forecast.keepalive.toldS === null
        ? {}
        : {
            serverKeepAlive: {
              told: o.forecast.keepalive.toldS,
              pingsWith: sec(o.forecast.keepalive.pingsWithMs),
              brokerWatches: sec(o.forecast.keepalive.brokerWatchesMs),
            },
          }),
      forecast: {
        pingGap: r(o.forecast.pingGapMs),
        firstPing: r(o.forecast.firstPingMs),
        givesUpAfterPing: r(o.forecast.giveUpAfterPingMs),
        brokerKicksAt: r(o.forecast.brokerKicksAtMs),
        clientGivesUpAt: r(o.forecast.clientGivesUpAtMs),
        first: o.forecast.firstToAct,
        dependsOnPhase: o.forecast.dependsOnPhase,
        endsShare: o.forecast.endsShare,
      },
      seen: {
        first: o.seen.first,
        kickedAt: sec(o.seen.kickedAtMs),
        clientEndedAt: sec(o.seen.clientEndedAtMs),
        lost: o.seen.lost,
        pingGaps: o.seen.pingGapsMs.map((g) => sec(g)),
      },
      observed: sec(o.observedMs),
    },
  };
}
