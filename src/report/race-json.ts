import { secondsOrNull as sec } from "../core/seconds.js";
import type { KeepaliveRace, RacePrediction } from "../scenarios/network-outcome.js";

function prediction(p: RacePrediction) {
  return {
    clientRescheduledAt: sec(p.clientRescheduledAt),
    clientGivesUpAt: sec(p.clientGivesUpAt),
    ...(p.clientGivesUpTo === undefined ? {} : { clientGivesUpTo: sec(p.clientGivesUpTo) }),
    brokerLastInboundAt: sec(p.brokerLastInboundAt),
    brokerKickFrom: sec(p.brokerKickFrom),
    brokerKickTo: sec(p.brokerKickTo),
    first: p.first,
    oldConnectionEnds: p.oldConnectionEnds,
  };
}

/** `network.race` in scenario seconds: the settings, the forecast, the run's own prediction, what was seen, the timeline. */
export function raceJson(r: KeepaliveRace) {
  return { network: { race: raceMembers(r) } };
}

function raceMembers(r: KeepaliveRace) {
  return {
    clientId: r.clientId,
    ...(r.library ? { library: r.library } : {}),
    profile: r.profile,
    keepalive: r.keepaliveMs / 1000,
    retryInterval: r.retryIntervalMs / 1000,
    keepaliveMultiplier: r.keepaliveMultiplier,
    link: r.link,
    reconnect: r.reconnect,
    faultAt: sec(r.faultAt),
    forecast: prediction(r.forecast),
    predicted: prediction(r.predicted),
    seen: {
      clientGaveUpAt: sec(r.seen.clientGaveUpAt),
      brokerKickedAt: sec(r.seen.brokerKickedAt),
      reconnectedAt: r.seen.reconnectedAt.map((t) => sec(t)),
      takeoverAt: sec(r.seen.takeoverAt),
      first: r.seen.first,
      oldConnectionEndedBy: r.seen.oldConnectionEndedBy,
    },
    lines: r.lines.map((l) => ({ id: l.id, at: sec(l.at), detail: l.detail })),
    timeline: r.timeline.map((e) => ({ at: sec(e.at), side: e.side, what: e.what })),
  };
}
