/**
 * Sockets of this process that live in another thread (the link's relay thread, src/link/relay-host.ts), as the
 * in-flight watch (src/core/in-flight.ts) sees them: their state as last published, and whether that thread has
 * anything on its way that the published states do not show yet. The thread publishes a socket's effects (bytes
 * written) before their causes (bytes read), and a look is only trusted when nothing was published during it.
 */

/** What the watch reads of a socket: the members of net.Socket it reads, plus whether its 'close' was emitted. */
export interface SocketState {
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly readableLength: number;
  readonly readableEnded: boolean;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
  readonly connecting: boolean;
  readonly allowHalfOpen: boolean;
  readonly closed: boolean;
}

export interface ForeignSockets {
  /**
   * Starts a look: a stamp to hand to `unchanged` once the look is over; or, while the other thread is busy,
   * whose move it is — "there" (a handler running or due there: `waitThere` helps) or "here" (a message of its
   * waiting for this thread).
   */
  begin(): number | "there" | "here";
  /** Blocks this thread until the other one finishes a handler, `ms` at most. */
  waitThere(ms: number): void;
  /** Nothing was published since `begin` returned `stamp`, and the thread is still not busy. */
  unchanged(stamp: number): boolean;
  /** The socket whose "local|remote" key is `key`, if it is one of these. */
  get(key: string): SocketState | undefined;
  /** The sockets not yet closed, each with its peer's key and when it became known (`foreignSerial`). */
  live(): Iterable<{ readonly serial: number; readonly peerKey: string; state(): SocketState }>;
}

const sources = new Set<ForeignSockets>();
let serial = 0;

/** A number that grows with each foreign socket made known: a watch sees only those known after it started. */
export function nextForeignSerial(): number {
  return ++serial;
}
export function foreignSerial(): number {
  return serial;
}

/** Makes `source` seen by every in-flight watch of this process until the returned function is called. */
export function addForeignSockets(source: ForeignSockets): () => void {
  sources.add(source);
  return () => {
    sources.delete(source);
  };
}

export function foreignSockets(): ReadonlySet<ForeignSockets> {
  return sources;
}
