import type { ClientVersusBroker } from "../keepalive/clients/versus-broker.js";

/** Who ended the subject's idle connection first, as seen. */
export type SeenFirst = "broker" | "client" | "nobody";

/** What `client-library` found: the library, the model's forecast, and what happened. Times: ms after CONNECT. */
export interface ClientLibraryOutcome {
  /** Which ran; `notRealBecause`: the real one was asked for and cannot run here (its model ran), why. */
  library: { id: string; name: string; version: string; real: boolean; notRealBecause?: string };
  rule: string;
  keepaliveMs: number;
  loopIntervalMs: number;
  forecast: ClientVersusBroker;
  seen: {
    first: SeenFirst;
    kickedAtMs: number | null;
    clientEndedAtMs: number | null;
    /** The library's own reason for the end (a real library), or null. */
    lost: string | null;
    /** The PINGREQ gaps the broker saw (embedded broker only), ms. */
    pingGapsMs: number[];
  };
  /** How long the idle client was watched, ms after CONNECT. */
  observedMs: number;
}
