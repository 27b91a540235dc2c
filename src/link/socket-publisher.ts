import type net from "node:net";
import type { ThreadHooks } from "./thread-hooks.js";
import type { FromRelayThread } from "./thread-messages.js";
import { MAX_SLOTS, type ThreadState } from "./thread-state.js";

interface Slot {
  readonly index: number;
  readonly relay: number;
  keyed: boolean;
}

/**
 * The relay thread's side of src/core/foreign-sockets.ts: every relay socket gets a slot in the shared memory, and
 * each handler (a socket event, a timer, a message from the host) runs guarded — the thread counts as busy from
 * its start until the sockets it touched are published, so the host never reads a half-published handler. A
 * socket's addresses go to the host once known; when its 'close' was emitted, its slot is handed back to the host,
 * which frees it once it has copied the last state. Past MAX_SLOTS live sockets a socket goes unpublished: its
 * peer then has no known peer, and time does not jump while it lives (it runs at real speed).
 */
export class SocketPublisher {
  private readonly slots = new Map<net.Socket, Slot>();
  private readonly free: number[] = [];
  private nextSlot = 0;
  private readonly dirty = new Set<net.Socket>();
  private depth = 0;

  constructor(
    private readonly state: ThreadState,
    private readonly post: (m: FromRelayThread) => void,
  ) {}

  /** The hooks of relay `relay` (its sockets are forgotten by the host when it stops). */
  hooks(relay: number): ThreadHooks {
    return {
      track: (socket) => this.track(socket, relay),
      guard: (fn) => this.guard(fn),
      touch: (socket) => {
        if (socket) this.dirty.add(socket);
      },
      event: (event) => this.post({ op: "event", relay, event }),
    };
  }

  guard(fn: () => void): void {
    if (this.depth++ === 0) this.state.enter();
    try {
      fn();
    } finally {
      if (--this.depth === 0) {
        this.publish();
        this.state.leave();
      }
    }
  }

  release(slot: number): void {
    this.free.push(slot);
  }

  private track(socket: net.Socket, relay: number): void {
    if (this.slots.has(socket)) return;
    const index = this.free.pop() ?? (this.nextSlot < MAX_SLOTS ? this.nextSlot++ : undefined);
    if (index === undefined) return;
    this.slots.set(socket, { index, relay, keyed: false });
    this.dirty.add(socket);
  }

  private publish(): void {
    for (const socket of this.dirty) {
      const slot = this.slots.get(socket);
      if (!slot) continue;
      const closed = socket.closed;
      this.state.writeSlot(slot.index, {
        bytesRead: socket.bytesRead,
        bytesWritten: socket.bytesWritten,
        readableLength: socket.readableLength,
        readableEnded: socket.readableEnded,
        writableEnded: socket.writableEnded,
        destroyed: socket.destroyed,
        connecting: socket.connecting,
        allowHalfOpen: socket.allowHalfOpen,
        closed,
      });
      if (!slot.keyed && socket.remotePort !== undefined && socket.localPort !== undefined) {
        slot.keyed = true;
        const local = `${socket.localAddress}:${socket.localPort}`;
        const remote = `${socket.remoteAddress}:${socket.remotePort}`;
        this.post({
          op: "socket",
          relay: slot.relay,
          slot: slot.index,
          key: `${local}|${remote}`,
          peerKey: `${remote}|${local}`,
        });
      }
      if (closed) {
        this.slots.delete(socket);
        this.post({ op: "gone", slot: slot.index });
      }
    }
    this.dirty.clear();
  }
}
