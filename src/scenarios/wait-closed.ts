import type { ClientRecord } from "../fleet/types.js";
import type { ScenarioContext, StatusDetail } from "./types.js";

/** Waits (on the clock) until every record is closed, or `timeoutMs` passes; true when all closed. */
export function waitAllClosed(
  ctx: ScenarioContext,
  records: () => ClientRecord[],
  timeoutMs: number,
  what: string,
  detail?: StatusDetail,
): Promise<boolean> {
  return ctx.waitUntil(() => records().every((r) => r.closedAt !== null), timeoutMs, what, detail);
}
