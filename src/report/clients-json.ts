import { secondsOrNull } from "../core/seconds.js";
import type { ClientsSurvey } from "../keepalive/clients/survey.js";
import type { MsRange } from "../keepalive/clients/types.js";

const rangeS = (r: MsRange | null) =>
  r === null ? null : { minS: secondsOrNull(r.minMs), maxS: secondsOrNull(r.maxMs) };

/**
 * `"schema": "mqdiag.clients/v1"`. Per library: `pingGapS` (the longest idle gap between its PINGREQs as sent;
 * null = it never pings), `givesUpAfterS` (the soonest it gives up after an unanswered PINGREQ; null = never),
 * `brokerKicksAfterS` (the earliest kick, seconds after its CONNECT; null = never), `firstToAct`, `marginS`,
 * `source`; the ranges behind those numbers and the model's facts beside them. Under a Server Keep Alive rule
 * (`serverKeepalive`: `--server-keepalive` / `--max-keepalive`), each library's `serverKeepAlive` says how it
 * handles it, what it was told, what it pings with and what the broker watches.
 */
export function clientsJson(survey: ClientsSurvey): string {
  const { conditions: c, broker } = survey;
  const doc = {
    schema: "mqdiag.clients/v1",
    broker: {
      profile: broker.profile,
      retryIntervalS: secondsOrNull(broker.retryIntervalMs),
      keepaliveMultiplier: broker.keepaliveMultiplier,
      nanomqVersion: broker.nanomqVersion[0] >= 999 ? "latest" : broker.nanomqVersion.join("."),
      from: survey.brokerSource.kind === "config" ? { config: survey.brokerSource.file } : "options",
    },
    keepaliveS: secondsOrNull(c.keepaliveMs),
    ...(c.serverKeepalive ? { serverKeepalive: c.serverKeepalive } : {}),
    latencyS: secondsOrNull(c.oneWayLatencyMs),
    loopIntervalS: secondsOrNull(c.loopIntervalMs),
    libraries: survey.rows.map(({ model: m, verdict: v }) => ({
      library: m.id,
      name: m.name,
      version: m.versions,
      source: m.source,
      runnableHere: m.runnableHere,
      refused: m.refusesKeepalive?.(c.keepaliveMs) ?? null,
      ...(c.serverKeepalive
        ? {
            serverKeepAlive: {
              handling: m.serverKeepAlive.handling,
              evidence: m.serverKeepAlive.evidence,
              toldS: v.keepalive.toldS,
              pingsWithS: secondsOrNull(v.keepalive.pingsWithMs),
              brokerWatchesS: secondsOrNull(v.keepalive.brokerWatchesMs),
            },
          }
        : {}),
      pingGapS: secondsOrNull(v.pingGapMs?.maxMs ?? null),
      givesUpAfterS: secondsOrNull(v.giveUpAfterPingMs?.minMs ?? null),
      brokerKicksAfterS: secondsOrNull(v.brokerKicksAtMs?.minMs ?? null),
      firstToAct: v.firstToAct,
      marginS: secondsOrNull(v.marginMs),
      dependsOnPhase: v.dependsOnPhase,
      endsShare: v.endsShare,
      pingGap: rangeS(v.pingGapMs),
      firstPing: rangeS(v.firstPingMs),
      givesUpAfter: rangeS(v.giveUpAfterPingMs),
      brokerKicks: rangeS(v.brokerKicksAtMs),
      clientGivesUpAt: rangeS(v.clientGivesUpAtMs),
      rule: m.rule,
      clockStart: m.clockStart,
      anchor: m.anchor,
      wholeSecondClock: m.wholeSecondClock,
      needsAppLoop: m.needsAppLoop,
      knownBugs: m.knownBugs,
      evidence: m.evidence,
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
