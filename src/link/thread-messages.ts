import type { LinkEvent, LinkSpec } from "./types.js";

/** What the relay thread knows of a clock of the host's (relay-host.ts). */
export interface ClockInfo {
  /** Its index in the shared time bases (thread-state.ts). */
  index: number;
  scale: number;
  /** Its wall time at clock ms 0. */
  wallAtZero: number;
  /** Its time jumps (the event-driven clock): its timers must be set on it, in the host. */
  jumps: boolean;
}

/** What the host (relay-host.ts) tells the relay thread (relay-worker.ts). */
export type ToRelayThread =
  | {
      op: "start";
      relay: number;
      clock: ClockInfo;
      target: { host: string; port: number };
      link: LinkSpec;
      seed: number | undefined;
    }
  | { op: "stop"; relay: number }
  /** The host's clock reached a timer the relay thread asked for. */
  | { op: "fire"; timer: number }
  /** The host copied a closed socket's last state: its slot may be used again. */
  | { op: "free"; slot: number };

/** What the relay thread tells the host. */
export type FromRelayThread =
  | { op: "started"; relay: number; port: number; startedAt: number }
  | { op: "failed"; relay: number; message: string }
  | { op: "stopped"; relay: number }
  /** A timer on the host's clock `clock`, due at clock ms `dueAt`. */
  | { op: "timer"; timer: number; clock: number; dueAt: number }
  | { op: "clear"; timer: number }
  | { op: "event"; relay: number; event: LinkEvent }
  /** A relay socket's addresses are known: "local|remote" and the reverse (its peer's key). */
  | { op: "socket"; relay: number; slot: number; key: string; peerKey: string }
  /** The socket's 'close' was emitted; its slot holds its last state until the host frees it. */
  | { op: "gone"; slot: number };
