import type { ResumeArrivals } from "../fleet/behaviours/resume-subscriber.js";
import type { Qos } from "./session-options.js";
import type { ResumeCount } from "./session-outcome.js";

/** One case's counts from what its subscriber noted: distinct payloads 0..published−1, extra arrivals, order. */
export function resumeCount(
  c: { cleanSession: boolean; qos: Qos },
  got: ResumeArrivals,
  published: number,
  expected: { delivered: number; upTo: number },
  dropped: boolean,
  /** Clock ms of the resume, and how long after it an arrival is still "at once". */
  timing: { resumedAt: number; atOnceMs: number },
): ResumeCount {
  const mineAt = got.arrivals.flatMap((i, k) =>
    i >= 0 && i < published ? [{ i, at: got.arrivedAt[k] ?? 0 }] : [],
  );
  const firstAt = mineAt.filter((a, k) => mineAt.findIndex((b) => b.i === a.i) === k);
  const mine = mineAt.map((a) => a.i);
  const firsts = firstAt.map((a) => a.i);
  const since = firstAt.map((a) => a.at - timing.resumedAt);
  const inOrder = firsts.every((i, k) => k === 0 || i > (firsts[k - 1] ?? -1));
  return {
    cleanSession: c.cleanSession,
    qos: c.qos,
    published,
    delivered: firsts.length,
    lost: published - firsts.length,
    late: since.filter((ms) => ms > timing.atOnceMs).length,
    lastDeliveredAt: since.length ? Math.max(...since) : null,
    duplicated: mine.length - firsts.length,
    order: firsts.length === 0 ? "none" : inOrder ? "in-order" : "out-of-order",
    sessionPresent: got.sessionPresent,
    dupFlags: got.dupFlags,
    expectedDelivered: expected.delivered,
    expectedUpTo: expected.upTo,
    dropped,
  };
}
