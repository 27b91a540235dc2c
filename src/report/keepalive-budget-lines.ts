import { formatSeconds, secondsOrNull as sec } from "../core/seconds.js";
import type { FirstToAct } from "../keepalive/clients/versus-broker.js";
import type { BudgetLibrary, KeepaliveBudget } from "../scenarios/keepalive-budget-outcome.js";
import { groupBy } from "./group-by.js";
import { secondsRange, wrapText } from "./scenario-layout.js";
import { subjectLibraryText } from "./subject-library-words.js";

/** The table report's lines for `keepalive-budget`: both limits, and the sweep grouped by outcome. */
export function budgetLines(b: KeepaliveBudget, width: number): string[] {
  const safe = b.largestSafeMs === null ? "∞" : `${b.largestSafeMs / 1000} s`;
  const kicked = b.smallestKickedMs === null ? "never" : `${b.smallestKickedMs / 1000} s`;
  const sweep = groupBy(b.sweep, (x) => x.outcome)
    .map((g) => {
      const ms = g.map((x) => x.intervalMs);
      return `${secondsRange(Math.min(...ms), Math.max(...ms))} s ${g[0]?.outcome}`;
    })
    .join(" · ");
  return [
    ...wrapText(
      `keepalive ${b.keepaliveMs / 1000} s: largest safe ping interval ${safe}, always kicked from ${kicked}`,
      width,
      "  ",
      "    ",
    ),
    ...wrapText(`ping interval sweep: ${sweep}`, width, "  ", "    "),
    ...(b.library ? wrapText(libraryText(b.library), width, "  ", "    ") : []),
  ];
}

const FIRST: Record<FirstToAct, string> = {
  nobody: "nobody ends it",
  broker: "the broker kicks it",
  client: "it gives up first",
  tie: "either may act first",
};

/** --client's library beside the sweep: where its ping gap falls, the forecast and what was seen. */
function libraryText(l: BudgetLibrary): string {
  const gap =
    l.pingGapMs === null
      ? "it never pings"
      : `it pings every ${secondsRange(l.pingGapMs.minMs, l.pingGapMs.maxMs)} s`;
  const kicked = l.kickedAtMs === null ? "" : ` ${formatSeconds(l.kickedAtMs)} after its CONNECT`;
  return `client: ${subjectLibraryText(l)} — ${gap}: forecast ${FIRST[l.expectedFirst]}; seen: ${FIRST[l.seenFirst]}${kicked}`;
}

/** The JSON member `keepalive-budget` adds to its scenario object. */
export function budgetJson(b: KeepaliveBudget) {
  return {
    budget: {
      keepalive: b.keepaliveMs / 1000,
      largestSafeInterval: sec(b.largestSafeMs),
      smallestKickedInterval: sec(b.smallestKickedMs),
      sweep: b.sweep.map((x) => ({ interval: x.intervalMs / 1000, outcome: x.outcome })),
      ...(b.library
        ? {
            library: {
              id: b.library.id,
              name: b.library.name,
              version: b.library.version,
              real: b.library.real,
              ...(b.library.notRealBecause === undefined ? {} : { notRealBecause: b.library.notRealBecause }),
              pingGap: b.library.pingGapMs && {
                from: sec(b.library.pingGapMs.minMs),
                to: sec(b.library.pingGapMs.maxMs),
              },
              expectedFirst: b.library.expectedFirst,
              seenFirst: b.library.seenFirst,
              kickedAt: sec(b.library.kickedAtMs),
            },
          }
        : {}),
    },
  };
}
