import { formatTarget } from "../core/target.js";
import type { CheckId, CheckStatus } from "./check-ids.js";
import { isOwn, ownFinding, type ProbeFinding } from "./findings.js";
import type { Inferred } from "./keepalive-fit-types.js";
import type { BaselineComparison, BaselineNote, Drift, ProbeResult } from "./types.js";

export const BASELINE_SCHEMA = "mqdiag.probe-baseline/v1";

/** The keepalive model a baseline pins (measured.inferred of the keepalive check). */
export interface BaselineModel {
  model: Inferred["model"];
  multiplier: number | null;
  multiplierRange: [number, number | null] | null;
  tickS: number | null;
  granularityS: number | null;
}

/** One check's outcome: `deviations` name what made it other than a pass (its code, the variants left open). */
export interface BaselineCheck {
  id: CheckId;
  status: CheckStatus;
  code: string;
  deviations: string[];
}

/** `--save-baseline FILE`: what the broker did, to compare later runs with (`--baseline FILE`). */
export interface Baseline {
  schema: typeof BASELINE_SCHEMA;
  savedAt: string;
  target: string;
  mqttVersion: ProbeResult["target"]["mqttVersion"];
  keepalive: BaselineModel | null;
  checks: BaselineCheck[];
}

/**
 * Tolerances, stated: a tick's retry interval may move by max(0.1 s, 5 %); a sweep's period by 1 s and its
 * slope by 0.25 (the slope of a sweep depends on its phase); a multiplier RANGE must overlap the baseline's (the
 * ranges hold every value the kicks allow, so disjoint ranges mean the setting changed).
 */
export const TOLERANCE = { tickS: 0.1, tickShare: 0.05, granularityS: 1, sweepSlope: 0.25 } as const;

/** What a check's outcome deviates in: nothing for a pass; otherwise its code, and the variants left open. */
export function deviationsOf(f: ProbeFinding): string[] {
  if (f.status === "pass" || f.status === "skip") return [];
  const leftOpen = isOwn(f) && f.id === "malformed" ? f.measured.leftOpen : [];
  return [f.code, ...leftOpen.map((v) => `left-open:${v}`)];
}

export function baselineFromResult(result: ProbeResult): Baseline {
  const inferred = ownFinding(result.checks, "keepalive")?.measured.inferred;
  return {
    schema: BASELINE_SCHEMA,
    savedAt: result.startedAt,
    target: formatTarget(result.target),
    mqttVersion: result.target.mqttVersion,
    keepalive: inferred
      ? {
          model: inferred.model,
          multiplier: inferred.multiplier,
          multiplierRange: inferred.multiplierRange,
          tickS: inferred.tickS,
          granularityS: inferred.granularityS,
        }
      : null,
    checks: result.checks.map((f) => ({
      id: f.id,
      status: f.status,
      code: f.code,
      deviations: deviationsOf(f),
    })),
  };
}

const RANK: Record<CheckStatus, number> = { skip: 0, pass: 0, warn: 1, fail: 2, error: 3 };

/**
 * Drift = the keepalive model or a parameter moved beyond TOLERANCE, a check's status got worse (pass → warn →
 * fail), or a failing check fails in a new way. Known deviations (the same failure as in the baseline) are
 * notes; so are improvements, checks only one side ran, and checks that could not run now (inconclusive).
 */
export function compareBaseline(base: Baseline, file: string, result: ProbeResult): BaselineComparison {
  const drift: Drift[] = [];
  const notes: BaselineNote[] = [];
  const now = baselineFromResult(result);
  if (base.keepalive && now.keepalive) drift.push(...modelDrift(base.keepalive, now.keepalive));
  for (const c of now.checks) {
    const b = base.checks.find((x) => x.id === c.id);
    if (!b) {
      notes.push({ code: "not-in-baseline", check: c.id });
    } else if (c.status === "error" && b.status !== "error") {
      notes.push({ code: "inconclusive", check: c.id, toCode: c.code });
    } else if (RANK[c.status] > RANK[b.status]) {
      drift.push({ code: "check-regressed", check: c.id, from: b.status, to: c.status, toCode: c.code });
    } else if (RANK[c.status] < RANK[b.status]) {
      notes.push({ code: "improved", check: c.id, from: b.status, to: c.status });
    } else if (c.deviations.length) {
      const fresh = c.deviations.filter((d) => !b.deviations.includes(d));
      if (fresh.length) drift.push({ code: "new-deviation", check: c.id, deviations: fresh });
      else notes.push({ code: "known-deviation", check: c.id, status: c.status, deviations: c.deviations });
    }
  }
  for (const b of base.checks) {
    if (!now.checks.some((c) => c.id === b.id)) notes.push({ code: "not-checked", check: b.id });
  }
  return { file, savedAt: base.savedAt, drifted: drift.length > 0, drift, notes };
}

function modelDrift(b: BaselineModel, n: BaselineModel): Drift[] {
  if (b.model !== n.model) return [{ code: "model-changed", check: "keepalive", from: b.model, to: n.model }];
  const out: Drift[] = [];
  const moved = (
    parameter: "tickS" | "multiplier" | "granularityS",
    from: number | null,
    to: number | null,
    limit: number,
    tolerance: string,
  ) => {
    if (from !== null && to !== null && Math.abs(from - to) > limit + 1e-9)
      out.push({ code: "parameter-moved", check: "keepalive", parameter, from, to, tolerance });
  };
  if (b.model === "tick" && b.tickS !== null) {
    const limit = Math.max(TOLERANCE.tickS, TOLERANCE.tickShare * b.tickS);
    moved("tickS", b.tickS, n.tickS, limit, `±${Math.round(limit * 1000) / 1000} s`);
  }
  if (b.model === "sweep") {
    moved(
      "granularityS",
      b.granularityS,
      n.granularityS,
      TOLERANCE.granularityS,
      `±${TOLERANCE.granularityS} s`,
    );
    moved("multiplier", b.multiplier, n.multiplier, TOLERANCE.sweepSlope, `±${TOLERANCE.sweepSlope}`);
  }
  if ((b.model === "tick" || b.model === "exact") && b.multiplierRange && n.multiplierRange) {
    if (disjoint(b.multiplierRange, n.multiplierRange))
      out.push({
        code: "parameter-moved",
        check: "keepalive",
        parameter: "multiplier",
        from: b.multiplierRange,
        to: n.multiplierRange,
        tolerance: "ranges must overlap",
      });
  }
  return out;
}

function disjoint(a: [number, number | null], b: [number, number | null]): boolean {
  const hiA = a[1] ?? Number.POSITIVE_INFINITY;
  const hiB = b[1] ?? Number.POSITIVE_INFINITY;
  return a[0] >= hiB - 1e-9 || b[0] >= hiA - 1e-9;
}
