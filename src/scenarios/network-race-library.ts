import { clientPhases } from "../keepalive/clients/ranges.js";
import type { ClientConditions, ClientModel } from "../keepalive/clients/types.js";
import type { RacePrediction } from "./network-outcome.js";

/** PINGREQs planned per phase: past any race's few keepalives (a library that never gives up keeps pinging). */
const PINGS = 64;

/**
 * One phase of a --client library's clocks in a race (clock ms): the packets its PINGREQs bring the broker before
 * the link stops carrying them, and when it gives up on the first PINGREQ left unanswered (null: never).
 * `pingsGoOn`: it never gives up and its PINGREQs keep reaching the broker past the last listed.
 */
export interface LibraryRacePhase {
  inboundAt: number[];
  givesUpAt: number | null;
  pingsGoOn: boolean;
  /** Its DISCONNECT at the give-up reaches the broker: the library sends one and the link carries it then. */
  disconnectReaches: boolean;
}

/**
 * The library's model on a healthy link until the fault (src/keepalive/clients): its PINGREQs at this phase, each
 * answered while the link carries both ways. The first one whose PINGRESP does not come back (sent once the link
 * stops carrying to the client, or to the broker) is left unanswered: a library with a give-up rule sends no other
 * while it waits and gives up when its rule says (with a DISCONNECT where it sends one: it reaches the broker while
 * the link carries that way — pingresp-lost, not network-stall); one without (MQTT-C) keeps its rhythm. `connectAt`: when the
 * CONNECT was sent (the model's 0); `toClientFrom` / `toBrokerFrom`: when the link stops carrying each way.
 */
export function libraryRacePhases(
  model: ClientModel,
  c: ClientConditions,
  connectAt: number,
  toClientFrom: number | null,
  toBrokerFrom: number | null,
): LibraryRacePhase[] {
  const blocked = (at: number, from: number | null) => from !== null && at >= from;
  return clientPhases(model).map((phase) => {
    const run = model.idleRun(c, phase, PINGS);
    const out: LibraryRacePhase = {
      inboundAt: [],
      givesUpAt: null,
      pingsGoOn: false,
      disconnectReaches: false,
    };
    for (const [i, rel] of run.pingsAt.entries()) {
      const at = connectAt + rel;
      const arrives = !blocked(at, toBrokerFrom);
      if (arrives) out.inboundAt.push(at + c.oneWayLatencyMs);
      const unanswered = !arrives || blocked(at + 2 * c.oneWayLatencyMs, toClientFrom);
      const giveUp = run.giveUpAt[i] ?? null;
      if (unanswered && giveUp !== null) {
        out.givesUpAt = connectAt + giveUp;
        out.disconnectReaches = model.disconnectsOnGiveUp.sends && !blocked(out.givesUpAt, toBrokerFrom);
        return out;
      }
      // nothing more reaches the broker from a library that never gives up
      if (!arrives) return out;
    }
    out.pingsGoOn = run.pingsAt.length > 0 && toBrokerFrom === null;
    return out;
  });
}

/** One prediction from the phases' (each a RacePrediction): the same where they agree, `either` where not. */
export function mergePhases(phases: readonly RacePrediction[]): RacePrediction {
  const [first, ...rest] = phases;
  if (!first) throw new RangeError("no phase");
  const nums = (f: (p: RacePrediction) => number | null) =>
    phases.map(f).filter((x): x is number => x !== null);
  const min = (f: (p: RacePrediction) => number | null) => (nums(f).length ? Math.min(...nums(f)) : null);
  const max = (f: (p: RacePrediction) => number | null) => (nums(f).length ? Math.max(...nums(f)) : null);
  return {
    clientRescheduledAt: null,
    clientGivesUpAt: min((p) => p.clientGivesUpAt),
    clientGivesUpTo: max((p) => p.clientGivesUpAt),
    brokerLastInboundAt: max((p) => p.brokerLastInboundAt),
    brokerKickFrom: min((p) => p.brokerKickFrom),
    brokerKickTo: max((p) => p.brokerKickTo),
    first: rest.every((p) => p.first === first.first) ? first.first : "either",
    oldConnectionEnds: rest.every((p) => p.oldConnectionEnds === first.oldConnectionEnds)
      ? first.oldConnectionEnds
      : "either",
  };
}
