import { clientModel } from "../../keepalive/clients/catalogue.js";
import { firstPing, giveUpAfterPing, idlePingGap } from "../../keepalive/clients/ranges.js";
import type { ClientConditions, MsRange } from "../../keepalive/clients/types.js";
import type { MeasureCase } from "./measure.js";
import type { RealLibraryId } from "./types.js";

export type Range = MsRange;

/**
 * What a library's model (src/keepalive/clients) says an idle client does, over its clocks' phases: the first
 * PINGREQ after CONNECT, the gap between PINGREQs, and the wait from an unanswered PINGREQ to giving up.
 */
export interface ModelRanges {
  firstGap: Range;
  gap: Range;
  /** null: the model never gives up. */
  giveUpAfter: Range | null;
}

export function modelRangesOf(library: RealLibraryId, c: ClientConditions): ModelRanges {
  const model = clientModel(library);
  const firstGap = firstPing(model, c);
  const gap = idlePingGap(model, c);
  if (!firstGap || !gap) throw new Error(`the ${library} model never pings at keepalive ${c.keepaliveMs} ms`);
  return { firstGap, gap, giveUpAfter: giveUpAfterPing(model, c) };
}

/** A measured case's conditions for its model: a loopback link (no latency). */
export function conditionsOf(c: MeasureCase): ClientConditions {
  return { keepaliveMs: c.keepaliveS * 1000, oneWayLatencyMs: 0, loopIntervalMs: c.loopIntervalMs };
}
