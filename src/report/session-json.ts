import { secondsOrNull as sec } from "../core/seconds.js";
import type { ResumeOutcome, StormPhase } from "../scenarios/session-outcome.js";

/** The JSON members `session-resume` adds to its scenario object. */
export function resumeJson(o: ResumeOutcome) {
  return {
    lose: o.lose,
    resumeWaitS: sec(o.resumeWaitMs),
    resume: o.resume.map((c) => ({
      cleanSession: c.cleanSession,
      qos: c.qos,
      published: c.published,
      delivered: c.delivered,
      lost: c.lost,
      duplicated: c.duplicated,
      order: c.order,
      sessionPresent: c.sessionPresent,
      dupFlags: c.dupFlags,
      expectedDelivered: c.expectedDelivered,
      expectedUpTo: c.expectedUpTo,
      dropped: c.dropped,
      // issue 17, additive: delivered after the first tick, and when the last one came (s after the resume)
      late: c.late,
      lastDeliveredAt: sec(c.lastDeliveredAt),
    })),
  };
}

/** The JSON member `reconnect-storm` adds to its scenario object. */
export function stormJson(phases: readonly StormPhase[]) {
  return {
    storm: phases.map((p) => ({
      policy: p.policy,
      clients: p.clients,
      firstDropS: sec(p.firstDropAt),
      lastDropS: sec(p.lastDropAt),
      back: p.back,
      allBackS: sec(p.allBackMs),
      connectsPerSecond: p.connectsPerSecond,
      peakRatePerSecond: p.peakRatePerSecond,
      connectSource: p.connectSource,
      attempts: p.attempts,
      refused: p.refused,
      takeovers: p.takeovers,
    })),
  };
}
