import type { KindSummary } from "../logs/summary.js";

const BLOCKS = "▁▂▃▄▅▆▇█";

/**
 * A per-minute histogram of the top incident kinds as one row of block characters each (`·` = none), all rows
 * on one time axis; when the log spans more than `width` minutes each column covers several.
 */
export function incidentChart(kinds: readonly KindSummary[], width = 60, top = 3): string[] {
  const rows = [...kinds]
    .filter((k) => k.perMinute.size > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, top);
  if (rows.length === 0) return [];
  const minutes = rows.flatMap((k) => [...k.perMinute.keys()]);
  const from = Math.min(...minutes);
  const to = Math.max(...minutes);
  const perColumn = Math.max(1, Math.ceil((to - from + 1) / width));
  const columns = Math.floor((to - from) / perColumn) + 1;
  const counts = rows.map((k) => {
    const cols = new Array<number>(columns).fill(0);
    for (const [minute, n] of k.perMinute) {
      const i = Math.floor((minute - from) / perColumn);
      cols[i] = (cols[i] ?? 0) + n;
    }
    return cols;
  });
  const max = Math.max(1, ...counts.flat());
  const label = Math.max(...rows.map((k) => k.kind.length));
  const lines = rows.map((k, r) => {
    const bar = (counts[r] ?? [])
      .map((n) => (n === 0 ? "·" : BLOCKS[Math.max(0, Math.ceil((n / max) * 8) - 1)]))
      .join("");
    return `  ${k.kind.padEnd(label)} ${bar}`;
  });
  const start = new Date(from * 60_000).toISOString().slice(0, 16).replace("T", " ");
  const end = new Date(to * 60_000).toISOString().slice(0, 16).replace("T", " ");
  const unit = perColumn === 1 ? "1 minute" : `${perColumn} minutes`;
  lines.push(`  ${" ".repeat(label)} ${start} … ${end} · one column = ${unit} · max ${max} per column`);
  return lines;
}
