import { FIX_BROKER_NAMES, fixesFor, type KnownBroker } from "../signatures/explain-fixes.js";
import type { Explanation, Fix } from "../signatures/types.js";
import { DEFAULT_WIDTH, proseWidth, wrap } from "./width.js";

/** A fix as one line: what to change, then the config key and its unit. */
export function fixLine(fix: Fix): string {
  const key = fix.configKey ? ` [${fix.configKey}${fix.unit ? `, ${fix.unit}` : ""}]` : "";
  return `${fix.change}${key}`;
}

/** How many fixes the short advice shows when the broker is known (all of them, tagged, when it is not). */
const SHOWN_FIXES = 4;

/**
 * The fixes the short advice for one incident kind shows: the broker's own levers first, then those for any
 * broker (without a known broker: every broker's, each tagged). Tests read the codes from here.
 */
export function adviceFixes(e: Explanation, broker: KnownBroker | undefined): Fix[] {
  const fixes = fixesFor(e.fixes, broker);
  return broker === undefined ? fixes : fixes.slice(0, SHOWN_FIXES);
}

/** The short advice block for one incident kind seen in a log of `broker`, wrapped to `width` columns. */
export function adviceLines(e: Explanation, broker?: KnownBroker, width = DEFAULT_WIDTH): string[] {
  const w = proseWidth(width);
  const lines = wrap(e.meaning, w, "  ");
  for (const fix of adviceFixes(e, broker)) {
    const tag = broker === undefined && fix.broker !== "any" ? `${FIX_BROKER_NAMES[fix.broker]}: ` : "";
    lines.push(...wrap(`${tag}${fixLine(fix)}`, w, "  - ", "    "));
  }
  lines.push(
    ...wrap(
      `more: mqdiag explain ${e.id}${e.scenario ? ` · reproduce: mqdiag scenario ${e.scenario}` : ""}`,
      w,
      "  ",
      "    ",
    ),
  );
  return lines;
}
