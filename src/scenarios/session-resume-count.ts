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
): ResumeCount {
  const mine = got.arrivals.filter((i) => i >= 0 && i < published);
  const firsts = mine.filter((i, k) => mine.indexOf(i) === k);
  const inOrder = firsts.every((i, k) => k === 0 || i > (firsts[k - 1] ?? -1));
  return {
    cleanSession: c.cleanSession,
    qos: c.qos,
    published,
    delivered: firsts.length,
    lost: published - firsts.length,
    duplicated: mine.length - firsts.length,
    order: firsts.length === 0 ? "none" : inOrder ? "in-order" : "out-of-order",
    sessionPresent: got.sessionPresent,
    dupFlags: got.dupFlags,
    expectedDelivered: expected.delivered,
    expectedUpTo: expected.upTo,
    dropped,
  };
}
