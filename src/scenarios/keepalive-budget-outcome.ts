import type { MsRange } from "../keepalive/clients/types.js";
import type { FirstToAct } from "../keepalive/clients/versus-broker.js";
import type { SeenFirst } from "./client-library-outcome.js";
import type { SubjectLibrary } from "./subject-library.js";

/** The sweep of ping intervals under the profile's model: what `keepalive-budget` reports besides its checks. */
export interface KeepaliveBudget {
  keepaliveMs: number;
  /** The largest gap between inbound packets never kicked, and the smallest always kicked (ms; null = never). */
  largestSafeMs: number | null;
  smallestKickedMs: number | null;
  sweep: { intervalMs: number; outcome: "survives" | "kicked" | "depends-on-phase" }[];
  /** --client: that library's idle client, run beside the sweep's clients; undefined without --client. */
  library?: BudgetLibrary;
}

/** A library's idle client against the budget: its model's ping gap, the forecast, and what was seen. */
export interface BudgetLibrary extends SubjectLibrary {
  /** Its idle PINGREQ gap by its model at this keepalive and loop (null: it never pings). */
  pingGapMs: MsRange | null;
  expectedFirst: FirstToAct;
  seenFirst: SeenFirst;
  /** ms after its CONNECT (null: not kicked). */
  kickedAtMs: number | null;
}
