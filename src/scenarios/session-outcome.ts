import type { LoseMode, Qos } from "./session-options.js";

/**
 * session-resume, one subscriber: what it got after coming back, counted by payload (each message carries its
 * index), until the broker's re-send policy is done or the cap (issue 17). `delivered` = distinct messages within
 * the cap, of which `late` came after the first tick (`atOnceMs` after the resume); `lost` = published −
 * delivered: never came within the cap; `duplicated` = arrivals beyond the first of an index.
 */
export interface ResumeCount {
  cleanSession: boolean;
  qos: Qos;
  published: number;
  delivered: number;
  lost: number;
  /** Delivered after the first tick (a broker that re-sends one per tick: late, not lost). */
  late: number;
  /** Clock ms after the resume of the last first arrival (null: nothing arrived). */
  lastDeliveredAt: number | null;
  duplicated: number;
  /** The first arrivals' indexes: ascending, not, or nothing arrived. */
  order: "in-order" | "out-of-order" | "none";
  /** The resumed CONNACK's session present flag (null: the resume got no CONNACK). */
  sessionPresent: boolean | null;
  /** Arrivals with the DUP flag. */
  dupFlags: number;
  /** What the profile expects delivered (src/scenarios/session-resume-expect.ts), and the most its real broker gave. */
  expectedDelivered: number;
  expectedUpTo: number;
  /** The broker dropped the subscriber before the messages were published (else they are not counted as away). */
  dropped: boolean;
}

/** reconnect-storm, one phase (one reconnect policy for the whole fleet). Times are clock ms. */
export interface StormPhase {
  policy: "none" | "immediate" | "backoff";
  clients: number;
  /** The first client dropped, and the last one dropped (the tick or sweep that kicked them all). */
  firstDropAt: number | null;
  lastDropAt: number | null;
  /** Clients connected again by the end of the phase, and when the last of them came back. */
  back: number;
  allBackAt: number | null;
  /** allBackAt − firstDropAt. */
  allBackMs: number | null;
  /** CONNECTs the broker saw per second since the first drop (embedded: its trace; external: the attempts the clients made). */
  connectsPerSecond: number[];
  /** The busiest 100 ms of connects, as a rate per second (a burst 1-second bins flatten). */
  peakRatePerSecond: number;
  /** Where connectsPerSecond comes from. */
  connectSource: "broker" | "clients";
  /** Reconnect attempts, and those that failed (refused, closed, or no CONNACK in time). */
  attempts: number;
  refused: number;
  /** Takeover lines in the broker's log during the phase (an old connection of the same id still open). */
  takeovers: number;
}

/** What session-resume found (issue 10): how the subscribers were lost, how long counted, and each one's count. */
export interface ResumeOutcome {
  lose: LoseMode;
  resumeWaitMs: number;
  /** Arrivals within this long after the resume are "at once"; later ones are late. */
  atOnceMs: number;
  /** How long after the resume arrivals were counted at most: the broker's policy done, or this cap. */
  capMs: number;
  resume: ResumeCount[];
}
