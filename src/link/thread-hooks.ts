import type net from "node:net";
import type { LinkEvent } from "./types.js";

/**
 * What a relay running in the relay thread (src/link/relay-worker.ts) tells that thread, so that the thread it was
 * started from sees its sockets (src/core/foreign-sockets.ts): each socket it opens or accepts, each handler it
 * runs (a socket's event, a timer), and the sockets a handler may have changed — published when it returns.
 */
export interface ThreadHooks {
  /** A socket of the relay's, from its creation on. */
  track(socket: net.Socket): void;
  /** Runs `fn` as one handler: the thread is busy meanwhile, and what it touched is published after. */
  guard(fn: () => void): void;
  /** The socket may have changed (bytes written, ended, destroyed): publish it when the handler returns. */
  touch(socket: net.Socket | undefined): void;
  /** What the relay did (its events() as they happen), for the host's copy. */
  event(event: LinkEvent): void;
}
