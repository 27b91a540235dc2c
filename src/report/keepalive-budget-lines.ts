import { secondsOrNull as sec } from "../core/seconds.js";
import type { KeepaliveBudget } from "../scenarios/keepalive-budget-outcome.js";
import { groupBy } from "./group-by.js";
import { secondsRange, wrapText } from "./scenario-layout.js";

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
  ];
}

/** The JSON member `keepalive-budget` adds to its scenario object. */
export function budgetJson(b: KeepaliveBudget) {
  return {
    budget: {
      keepalive: b.keepaliveMs / 1000,
      largestSafeInterval: sec(b.largestSafeMs),
      smallestKickedInterval: sec(b.smallestKickedMs),
      sweep: b.sweep.map((x) => ({ interval: x.intervalMs / 1000, outcome: x.outcome })),
    },
  };
}
