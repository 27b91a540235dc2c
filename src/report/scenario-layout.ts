import { fixedSeconds } from "../core/seconds.js";

/** Layout helpers of the scenario table report: the width it fits, and word wrapping with a hanging indent. */

/** The table report's width: the terminal's (when known), kept within 72–120 columns; 100 otherwise. */
export function reportWidth(columns: number | undefined): number {
  return Math.min(120, Math.max(72, columns ?? 100));
}

/**
 * Wraps plain text (no colour codes) to `width` columns at spaces: the first line starts with `first`, the
 * following ones with `rest`. A word longer than a line stays whole on its own line.
 */
export function wrapText(text: string, width: number, first = "", rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/ +/)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (empty ? "" : " ") + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** `from–to` in seconds with one decimal, or a single value when they are equal. */
export function secondsRange(fromMs: number, toMs: number): string {
  const a = fixedSeconds(fromMs);
  const b = fixedSeconds(toMs);
  return a === b ? a : `${a}–${b}`;
}
