import dc from "node:diagnostics_channel";
import net, { type Socket } from "node:net";
import { type EventClock, eventClock, type Quiescence } from "./event-clock.js";
import { type ForeignSockets, foreignSerial, foreignSockets, type SocketState } from "./foreign-sockets.js";

/** Real ms a look waits, at most, for another thread to make the move everything waits on. */
const WAIT_THERE_MS = 2;

interface Look {
  idle: boolean;
  activity: number;
  /** Busy only with moves this other thread is to make. */
  waitThere?: ForeignSockets;
}

/** A TCP socket of this process, and its ends' addresses once known. */
interface Tracked {
  readonly socket: Socket;
  /** "local|remote" and the reverse: the peer socket is tracked under `peerKey` when it is in this process too. */
  key?: string;
  peerKey?: string;
  /** Its 'close' was emitted: nothing more happens on it. */
  closed: boolean;
}

/** What keeps the world from being quiescent, for a test or a bench to say why time did not jump. */
export type BusyReason = "connecting" | "closing" | "no-peer" | "bytes" | "fin" | "other-thread";

/** What the look reads of either end of a connection: a socket of this thread or one of another (a relay's). */
type End = Omit<SocketState, "closed">;

export interface SocketWatch extends Quiescence {
  /** Sockets watched now. */
  size(): number;
  /** Why the last look found the world busy (empty: idle). */
  busy(): readonly BusyReason[];
  /** Stops watching new sockets. */
  stop(): void;
}

/** The channels publish `{ socket }`. */
const socketOf = (message: unknown): Socket | undefined =>
  typeof message === "object" &&
  message !== null &&
  "socket" in message &&
  message.socket instanceof net.Socket
    ? message.socket
    : undefined;

const endpoint = (address: string | undefined, port: number | undefined) =>
  address === undefined || port === undefined ? undefined : `${address}:${port}`;

/**
 * In-flight accounting for every TCP connection this process opens or accepts while the watch runs (Node's
 * `net.client.socket` and `net.server.socket` diagnostics channels): the embedded broker's sockets, the fleet's
 * clients (MQTT.js's included), the link relays' both sides. Both ends of a loopback connection are in this
 * process, paired by their addresses, so a connection is quiet when each side has read every byte the other wrote,
 * seen the other's FIN or RST, and neither is connecting or closing. A socket whose peer is not in this process
 * (an external broker, a real client library's process) or was not seen opening never is: time does not jump
 * while it lives, it runs at real speed. A peer may live in another thread of this process (src/core/foreign-sockets.ts,
 * the link's relay thread): its published state stands in for it, and while that thread is busy nothing is idle.
 */
export function watchSockets(): SocketWatch {
  const tracked = new Set<Tracked>();
  const byKey = new Map<string, Tracked>();
  let reasons: BusyReason[] = [];
  let stopped = false;
  /** Foreign sockets made known before the watch started are not watched, as sockets opened before it are not. */
  const foreignSince = foreignSerial();

  const bind = (t: Tracked) => {
    const s = t.socket;
    const local = endpoint(s.localAddress, s.localPort);
    const remote = endpoint(s.remoteAddress, s.remotePort);
    if (local === undefined || remote === undefined) return;
    t.key = `${local}|${remote}`;
    t.peerKey = `${remote}|${local}`;
    byKey.set(t.key, t);
  };
  const track = (socket: Socket, accepted: boolean) => {
    const t: Tracked = { socket, closed: false };
    tracked.add(t);
    socket.once("close", () => {
      t.closed = true;
    });
    if (accepted) bind(t);
    else socket.once("connect", () => bind(t));
  };
  const drop = (t: Tracked) => {
    tracked.delete(t);
    if (t.key !== undefined && byKey.get(t.key) === t) byKey.delete(t.key);
  };
  const onClient = (message: unknown) => {
    const socket = socketOf(message);
    if (socket && !stopped) track(socket, false);
  };
  const onServer = (message: unknown) => {
    const socket = socketOf(message);
    if (socket && !stopped) track(socket, true);
  };
  dc.subscribe("net.client.socket", onClient);
  dc.subscribe("net.server.socket", onServer);

  /** Something is on its way from `s` to its peer `p`: bytes not yet handed to p's reader, or s's FIN/RST. */
  const towards = (s: End, p: End): BusyReason | undefined => {
    if (p.destroyed || p.readableEnded) return undefined;
    if (p.readableLength > 0 || s.bytesWritten > p.bytesRead) return "bytes";
    return s.writableEnded || s.destroyed ? "fin" : undefined;
  };
  /** The socket is on its way somewhere by itself: connecting, or closing (destroyed, or both ways ended). */
  const settling = (s: End, closed: boolean): BusyReason | undefined => {
    if (s.connecting) return "connecting";
    if (s.destroyed) return closed ? undefined : "closing";
    if (s.readableEnded && (s.writableEnded || !s.allowHalfOpen)) return "closing";
    return undefined;
  };

  /**
   * One look at every socket. `waitThere`: the look found the world busy only with moves another thread is to make
   * (a handler running there, bytes it has yet to read, a socket of its connecting or closing) — worth waiting a
   * moment for it rather than looking again a turn of the event loop (or a few ms) later.
   */
  const look = (): Look => {
    const found: BusyReason[] = [];
    let activity = tracked.size;
    const others = [...foreignSockets()];
    const stamps: number[] = [];
    /** The other thread whose move every busy reason so far was (null: one was this thread's own). */
    let there: ForeignSockets | null | undefined;
    const theirs = (other: ForeignSockets | undefined) => {
      if (there === null) return;
      there = other === undefined || (there !== undefined && there !== other) ? null : other;
    };
    for (const other of others) {
      const stamp = other.begin();
      if (typeof stamp === "number") activity += stamp;
      else {
        found.push("other-thread");
        theirs(stamp === "there" ? other : undefined);
      }
      stamps.push(typeof stamp === "number" ? stamp : -1);
    }
    const foreignOf = new Map<SocketState, ForeignSockets>();
    const foreign = (key: string): SocketState | undefined => {
      for (const other of others) {
        const state = other.get(key);
        if (state) {
          foreignOf.set(state, other);
          return state;
        }
      }
      return undefined;
    };
    for (const t of tracked) {
      const s = t.socket;
      activity += s.bytesRead + s.bytesWritten + (t.closed ? 1 : 0);
      if (t.key === undefined && !s.connecting && !s.destroyed) bind(t);
      const self = settling(s, t.closed);
      if (self) {
        found.push(self);
        theirs(undefined);
      }
      const peer = t.peerKey === undefined ? undefined : byKey.get(t.peerKey);
      const far = peer === undefined && t.peerKey !== undefined ? foreign(t.peerKey) : undefined;
      if (far !== undefined) {
        // to the other thread, or its socket settling: its move; from it: ours (this thread must read)
        const theirMove = towards(s, far) ?? settling(far, far.closed);
        const ourMove = towards(far, s);
        if (theirMove) {
          found.push(theirMove);
          theirs(foreignOf.get(far));
        }
        if (ourMove) {
          found.push(ourMove);
          theirs(undefined);
        }
        if (!theirMove && !ourMove && t.closed && far.closed) drop(t);
        continue;
      }
      if (peer === undefined) {
        if (t.closed) drop(t);
        else if (!self) {
          found.push("no-peer");
          theirs(undefined);
        }
        continue;
      }
      const out = towards(s, peer.socket);
      if (out) {
        found.push(out);
        theirs(undefined);
      } else if (t.closed && peer.closed) {
        drop(t);
        drop(peer);
      }
    }
    // a socket of another thread whose peer is not here (an external broker, a client's own process)
    for (const other of others) {
      for (const f of other.live()) {
        if (f.serial <= foreignSince || byKey.has(f.peerKey)) continue;
        const state = f.state();
        if (state.closed) continue;
        found.push(settling(state, false) ?? "no-peer");
        theirs(undefined);
      }
    }
    // a look that overlapped another thread's publishing may have read half of it
    others.forEach((other, i) => {
      const stamp = stamps[i] ?? -1;
      if (stamp >= 0 && !other.unchanged(stamp)) found.push("other-thread");
    });
    reasons = found;
    return { idle: found.length === 0, activity, ...(there ? { waitThere: there } : {}) };
  };

  let last: Look = { idle: true, activity: 0 };
  return {
    idle() {
      last = look();
      const there = last.waitThere;
      if (!last.idle && there) {
        // the other thread's move: a relay handler takes µs, a look again a turn (or a few ms) later
        there.waitThere(WAIT_THERE_MS);
        last = look();
      }
      return last.idle;
    },
    activity: () => last.activity,
    size: () => tracked.size,
    busy: () => reasons,
    stop() {
      stopped = true;
      dc.unsubscribe("net.client.socket", onClient);
      dc.unsubscribe("net.server.socket", onServer);
      tracked.clear();
      byKey.clear();
    },
  };
}

/**
 * The event-driven clock of a run that lives in this process (the embedded broker, the fleet, the relays): it jumps
 * while every socket opened meanwhile is quiet. `stop()` stops the clock and the watch.
 */
export function inProcessEventClock(options: { unref?: boolean } = {}): EventClock & { watch: SocketWatch } {
  const watch = watchSockets();
  const clock = eventClock({ quiescence: watch, unref: options.unref });
  return {
    ...clock,
    watch,
    stop() {
      clock.stop();
      watch.stop();
    },
  };
}
