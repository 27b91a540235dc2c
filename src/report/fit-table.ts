import { reportTable } from "./table.js";
import { visibleLength, wrap } from "./width.js";

/**
 * How a column gives way when the table is too wide: `min` is the narrowest it may become (content columns
 * only; absent = it keeps its natural width unless nothing else is left to shrink); `shorten` turns a cell into
 * one that fits `w` columns (default: wrap at word boundaries).
 */
export interface ColumnFit {
  min?: number;
  /** Left out when no row has anything in it (a "notes" column). */
  optional?: boolean;
  shorten?: (text: string, w: number) => string;
}

/** A cell's widest line, colour codes not counted. */
const cellWidth = (text: string) => Math.max(0, ...text.split("\n").map(visibleLength));

/**
 * The content width of each column so that the table is at most `width` columns wide: each column its widest
 * cell; while too wide, the widest column that can still give way loses a column at a time (the columns with a
 * `min` first, the others only when those are all at their min).
 */
export function fitWidths(natural: readonly number[], fits: readonly ColumnFit[], width: number): number[] {
  const w = [...natural];
  // borders: one per column plus one; padding: one each side of every cell
  const total = () => w.reduce((a, b) => a + b + 3, 1);
  const shrink = (floor: (i: number) => number | undefined) => {
    while (total() > width) {
      // the first of the widest columns still above its floor loses one
      let widest = -1;
      let widestW = 0;
      w.forEach((wi, i) => {
        const f = floor(i);
        if (f !== undefined && wi > f && (widest < 0 || wi > widestW)) {
          widest = i;
          widestW = wi;
        }
      });
      if (widest < 0) return;
      w[widest] = widestW - 1;
    }
  };
  shrink((i) => fits[i]?.min);
  shrink(() => 1);
  return w;
}

/**
 * `compact`: no rule between the body rows when every row is one line (a glance view); a row that had to wrap
 * brings the rules back, so that its lines stay told apart from the next row's.
 */
export interface TableLayout {
  compact?: boolean;
}

/**
 * A report table that fits `width` columns: each column as wide as its widest cell, the flexible ones wrapped or
 * shortened when the whole would be wider. cli-table3 cuts anything still too long with an ellipsis, so no line
 * is ever wider than `width`.
 */
export function fitTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  fits: readonly ColumnFit[],
  width: number,
  layout: TableLayout = {},
): string {
  const keep = head
    .map((_, i) => i)
    .filter((i) => !fits[i]?.optional || rows.some((r) => (r[i] ?? "") !== ""));
  if (keep.length < head.length)
    return fitTable(
      keep.map((i) => head[i] ?? ""),
      rows.map((r) => keep.map((i) => r[i] ?? "")),
      keep.map((i) => fits[i] ?? {}),
      width,
      layout,
    );
  const natural = head.map((h, i) => Math.max(cellWidth(h), ...rows.map((r) => cellWidth(r[i] ?? ""))));
  const widths = fitWidths(natural, fits, width);
  const shape = (text: string, i: number) => {
    const w = widths[i] ?? 0;
    if (cellWidth(text) <= w) return text;
    const shorten = fits[i]?.shorten;
    if (shorten) return shorten(text, w);
    return text
      .split("\n")
      .flatMap((line) => wrap(line, w))
      .join("\n");
  };
  const shapedHead = head.map((h, i) => shape(h, i));
  const shaped = rows.map((r) => head.map((_, i) => shape(r[i] ?? "", i)));
  // a column that was wrapped may need less than it was given ("2024-05-01 12:00:16Z" → two lines of 10)
  const used = widths.map((w, i) =>
    Math.min(w, Math.max(cellWidth(shapedHead[i] ?? ""), ...shaped.map((r) => cellWidth(r[i] ?? "")))),
  );
  const t = reportTable(shapedHead, { colWidths: used.map((w) => w + 2) });
  for (const r of shaped) t.push(r);
  const text = t.toString();
  if (!layout.compact || shaped.some((r) => r.some((cell) => cell.includes("\n")))) return text;
  // the rule under the head stays; those between the body rows go
  let rules = 0;
  return text
    .split("\n")
    .filter((line) => !line.startsWith("├") || rules++ === 0)
    .join("\n");
}
