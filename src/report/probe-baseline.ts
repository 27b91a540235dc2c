import type { CheckId } from "../probe/check-ids.js";
import type { BaselineComparison, BaselineNote, Drift } from "../probe/types.js";

type Param = number | [number, number | null] | null;

const param = (v: Param, unit: string): string => {
  if (v === null) return "?";
  if (Array.isArray(v)) return `${v[0]}–${v[1] ?? "∞"}`;
  return `${v}${unit}`;
};

const PARAMETER_NAMES = {
  tickS: ["tick (retry_interval)", " s"],
  multiplier: ["multiplier", ""],
  granularityS: ["sweep period", " s"],
} as const;

/** One line per drift: exactly what moved, from what to what, and the tolerance it broke. */
export function driftText(d: Drift): string {
  switch (d.code) {
    case "model-changed":
      return `keepalive model changed: ${d.from} → ${d.to}`;
    case "parameter-moved": {
      const [name, unit] = PARAMETER_NAMES[d.parameter];
      return `keepalive ${name} moved: ${param(d.from, unit)} → ${param(d.to, unit)} (tolerance: ${d.tolerance})`;
    }
    case "check-regressed":
      return `${d.check}: ${d.from} → ${d.to} (${d.toCode})`;
    case "new-deviation":
      return `${d.check}: new deviation ${d.deviations.join(", ")}`;
  }
}

export function noteText(n: BaselineNote): string {
  switch (n.code) {
    case "known-deviation":
      return `${n.check}: known deviation, as in the baseline (${n.status}: ${n.deviations.join(", ")})`;
    case "improved":
      return `${n.check}: ${n.from} → ${n.to}, better than the baseline (save a new one with --save-baseline)`;
    case "inconclusive":
      return `${n.check}: could not run this time (${n.toCode})`;
    case "not-in-baseline":
      return `${n.check}: not in the baseline`;
    case "not-checked":
      return `${n.check}: in the baseline, not run this time`;
  }
}

/** The table's baseline section. */
export function baselineLines(b: BaselineComparison): string[] {
  const head = `Baseline ${b.file} (saved ${b.savedAt}): ${b.drifted ? `DRIFT (${b.drift.length})` : "no drift"}`;
  return [head, ...b.drift.map((d) => `  ✗ ${driftText(d)}`), ...b.notes.map((n) => `  · ${noteText(n)}`)];
}

/** JUnit with a baseline: a check's testcase fails only on its own drift; its notes go to its output. */
export function baselineFor(b: BaselineComparison, id: CheckId): { drift: string[]; notes: string[] } {
  return {
    drift: b.drift.filter((d) => d.check === id).map(driftText),
    notes: b.notes.filter((n) => n.check === id).map(noteText),
  };
}
