import { secondsOrNull as sec } from "../core/seconds.js";
import type { ScenarioResult } from "../scenarios/types.js";

/** The JSON members a session scenario's outcome adds to its scenario object (none when it has none). */
export function sessionJson(s: ScenarioResult): Record<string, unknown> {
  const o = s.session;
  if (!o) return {};
  return {
    ...(o.resume
      ? {
          lose: o.lose,
          resumeWaitS: sec(o.resumeWaitMs ?? 0),
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
          })),
        }
      : {}),
    ...(o.storm
      ? {
          storm: o.storm.map((p) => ({
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
        }
      : {}),
  };
}
