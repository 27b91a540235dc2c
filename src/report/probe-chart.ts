/** A small text chart of kick delay against keepalive: `|` marks 1.5 × keepalive, `●` each kick, `>` not kicked. */
export interface ChartSample {
  keepalive: number;
  kickAfter: number | null;
}

export function kickChart(samples: readonly ChartSample[], maxWait: number, width = 48): string[] {
  if (samples.length === 0) return [];
  const kicks = samples.map((s) => s.kickAfter).filter((k): k is number => k !== null);
  const keepalives = [...new Set(samples.map((s) => s.keepalive))].sort((a, b) => a - b);
  const top = Math.max(1, ...kicks, ...keepalives.map((k) => 1.5 * k)) * 1.05;
  const col = (seconds: number) => Math.min(width - 1, Math.round((seconds / top) * (width - 1)));
  const label = (k: number) => `keepalive ${String(k).padStart(3)} s `;
  const lines = keepalives.map((k) => {
    const row = Array.from({ length: width }, () => "·");
    row[col(1.5 * k)] = "|";
    for (const s of samples.filter((x) => x.keepalive === k)) {
      if (s.kickAfter === null) row[width - 1] = ">";
      else row[col(s.kickAfter)] = "●";
    }
    return `${label(k)}${row.join("")}`;
  });
  const axis = `${" ".repeat(label(0).length)}0${" ".repeat(Math.max(0, width - 2 - String(round1(top)).length))}${round1(top)} s`;
  return [
    ...lines,
    axis,
    `${" ".repeat(label(0).length)}● kick delay after the last packet · | 1.5 × keepalive${kicks.length < samples.length ? ` · > not kicked within ${maxWait} s` : ""}`,
  ];
}

const round1 = (v: number) => Math.round(v * 10) / 10;
