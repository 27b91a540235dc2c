import type { ClientRecord } from "../fleet/types.js";

/**
 * How a client's connection ended, for the table and the timeline: `closed by broker (FIN 0x8d)`. What is not
 * known is left out — a real library's program says only that its connection was lost (its own reason, when it
 * gave one, stands in the parenthesis); who closed it, when no one can tell, is left out too.
 */
export function closedText(r: Pick<ClientRecord, "closedBy" | "closeKind" | "reasonCode" | "notes">): string {
  const lost = r.notes.lost;
  const how = [
    r.closeKind,
    r.reasonCode !== null ? `0x${r.reasonCode.toString(16)}` : null,
    r.closeKind === null && typeof lost === "string" ? lost : null,
  ].filter((p): p is string => p !== null);
  const by = r.closedBy === null ? "closed" : `closed by ${r.closedBy}`;
  return how.length === 0 ? by : `${by} (${how.join(" ")})`;
}
