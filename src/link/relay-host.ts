import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { Clock, TimerHandle } from "../core/clock.js";
import {
  addForeignSockets,
  type ForeignSockets,
  nextForeignSerial,
  type SocketState,
} from "../core/foreign-sockets.js";
import type { Relay, RelayOptions } from "./relay.js";
import type { FromRelayThread, ToRelayThread } from "./thread-messages.js";
import { MAX_CLOCKS, realMs, ThreadState, threadMemory } from "./thread-state.js";
import type { LinkEvent } from "./types.js";

/**
 * Starts a link relay (relay.ts) in the relay thread (relay-worker.ts): one worker thread for every relay of the
 * process, started with the first relay (~50 ms) and kept for the next ones; it keeps the process alive only
 * while a relay is open. A relay's socket work is as much again as that of the clients and the broker it sits
 * between; on their event loop it delayed every packet of a burst (1000 pings at once, `npm run bench -- relay`);
 * in a thread of its own it runs beside them, given a free core.
 *
 * The relays keep the caller's clock: each reads it from a shared time base (thread-state.ts) the host rewrites
 * at each of the clock's jumps (Clock.onJump); on a clock that jumps each timer is set on the clock itself, here,
 * and run there when it fires (on one that does not, the thread keeps its timers: thread-clock.ts). An
 * event-driven clock sees the relays' sockets through src/core/foreign-sockets.ts: while the thread runs a
 * handler, holds a timer request or a fire not yet taken up, or a relay is starting or stopping, time does not
 * jump. The clock must run with real time between its jumps (a scaled or an event-driven clock).
 */
export function startRelay(options: RelayOptions): Promise<Relay> {
  if (host === undefined) {
    const started = new RelayHost(() => {
      if (host === started) host = undefined;
    });
    host = started;
  }
  return host.start(options);
}

let host: RelayHost | undefined;

/** The built relay thread: beside this module (dist/src/link), from the CLI bundle, or from the sources (tests). */
function workerFile(): URL {
  for (const path of [
    "./relay-worker.js",
    "../link/relay-worker.js",
    "../../dist/src/link/relay-worker.js",
  ]) {
    const url = new URL(path, import.meta.url);
    if (existsSync(url)) return url;
  }
  throw new Error("the link's relay thread (dist/src/link/relay-worker.js) is not built: run npm run build");
}

interface Waiting<T> {
  resolve(value: T): void;
  reject(err: Error): void;
}

interface Mirror {
  events: LinkEvent[];
  open: number;
  keys: Set<string>;
}

class RelayHost implements ForeignSockets {
  private readonly state = new ThreadState(threadMemory());
  private readonly worker: Worker;
  private readonly unregister: () => void;
  private dead: Error | undefined;
  /** Starts and stops the thread has not answered yet: time must not jump meanwhile. */
  private outstanding = 0;
  private relays = 0;
  private nextRelay = 1;
  private readonly starting = new Map<number, Waiting<{ port: number; startedAt: number }>>();
  private readonly stopping = new Map<number, Waiting<void>>();
  private readonly mirrors = new Map<number, Mirror>();
  private readonly clocks = new Map<Clock, { index: number; users: number; off?: () => void }>();
  private readonly clockAt: (Clock | undefined)[] = [];
  private readonly timers = new Map<number, { clock: Clock; handle: TimerHandle }>();
  private readonly sockets = new Map<string, { slot: number; serial: number; peerKey: string }>();
  private readonly closed = new Map<string, SocketState>();
  private readonly slotKeys = new Map<number, string>();

  constructor(private readonly onEnd: () => void) {
    this.worker = new Worker(workerFile(), { workerData: this.state.memory });
    this.worker.on("message", (m: FromRelayThread) => this.receive(m));
    this.worker.on("error", (err) => this.fail(err));
    this.worker.on("exit", (code) => this.fail(new Error(`the link's relay thread exited (${code})`)));
    this.unregister = addForeignSockets(this);
  }

  async start(options: RelayOptions): Promise<Relay> {
    if (this.dead) throw this.dead;
    const relay = this.nextRelay++;
    const clock = options.clock;
    const index = this.useClock(clock);
    const mirror: Mirror = { events: [], open: 0, keys: new Set() };
    this.mirrors.set(relay, mirror);
    if (this.relays++ === 0) this.worker.ref();
    this.outstanding++;
    let started: { port: number; startedAt: number };
    try {
      started = await new Promise((resolve, reject) => {
        this.starting.set(relay, { resolve, reject });
        this.send({
          op: "start",
          relay,
          clock: {
            index,
            scale: clock.scale,
            wallAtZero: clock.wallTime(0),
            jumps: clock.onJump !== undefined,
          },
          target: { host: options.target.host, port: options.target.port },
          link: options.link,
          seed: options.seed,
        });
      });
    } catch (err) {
      this.ended(relay, clock);
      throw err;
    } finally {
      this.outstanding--;
    }
    let stopped: Promise<void> | undefined;
    return {
      host: "127.0.0.1",
      port: started.port,
      startedAt: started.startedAt,
      events: () => mirror.events,
      openConnections: () => mirror.open,
      stop: () => {
        stopped ??= this.stop(relay, clock);
        return stopped;
      },
    };
  }

  // --- ForeignSockets: the relays' sockets, for the in-flight watch
  begin(): number | "there" | "here" {
    return this.outstanding > 0 ? "here" : this.state.quietStamp();
  }
  waitThere(ms: number): void {
    this.state.waitForHandler(ms);
  }
  unchanged(stamp: number): boolean {
    return this.outstanding === 0 && this.state.quietStamp() === stamp;
  }
  get(key: string): SocketState | undefined {
    const live = this.sockets.get(key);
    return live ? this.state.readSlot(live.slot) : this.closed.get(key);
  }
  *live(): Iterable<{ serial: number; peerKey: string; state(): SocketState }> {
    for (const { slot, serial, peerKey } of this.sockets.values())
      yield { serial, peerKey, state: () => this.state.readSlot(slot) };
  }

  private async stop(relay: number, clock: Clock): Promise<void> {
    if (this.dead) return this.ended(relay, clock);
    this.outstanding++;
    try {
      await new Promise<void>((resolve, reject) => {
        this.stopping.set(relay, { resolve, reject });
        this.send({ op: "stop", relay });
      });
    } catch {
      // the thread is gone, and its relays with it
    } finally {
      this.outstanding--;
      this.ended(relay, clock);
    }
  }

  /** The relay is gone: its sockets are forgotten; with the last one the thread no longer keeps the process. */
  private ended(relay: number, clock: Clock): void {
    const mirror = this.mirrors.get(relay);
    this.mirrors.delete(relay);
    for (const key of mirror?.keys ?? []) {
      this.closed.delete(key);
      this.sockets.delete(key);
    }
    this.dropClock(clock);
    if (--this.relays === 0) this.worker.unref();
  }

  /** The thread failed or exited: its relays are gone; the next relay starts another thread. */
  private fail(err: Error): void {
    if (this.dead) return;
    this.dead = err;
    for (const w of this.starting.values()) w.reject(err);
    for (const w of this.stopping.values()) w.reject(err);
    this.starting.clear();
    this.stopping.clear();
    this.unregister();
    this.onEnd();
    for (const t of this.timers.values()) t.clock.clear(t.handle);
    this.timers.clear();
    for (const [clock] of this.clocks) this.dropClock(clock, true);
    void this.worker.terminate();
  }

  private send(m: ToRelayThread): void {
    this.worker.postMessage(m);
  }

  /** The clock's index in the shared time bases, kept up to date at each of its jumps. */
  private useClock(clock: Clock): number {
    const known = this.clocks.get(clock);
    if (known) {
      known.users++;
      return known.index;
    }
    let index = this.clockAt.indexOf(undefined);
    if (index < 0) index = this.clockAt.length;
    if (index >= MAX_CLOCKS) throw new Error(`more than ${MAX_CLOCKS} clocks drive link relays at once`);
    this.clockAt[index] = clock;
    const base = () => {
      const real = realMs();
      this.state.writeBase(index, real, clock.now(), clock.scale);
    };
    base();
    this.clocks.set(clock, { index, users: 1, off: clock.onJump?.(base) });
    return index;
  }

  private dropClock(clock: Clock, all = false): void {
    const entry = this.clocks.get(clock);
    if (!entry || (--entry.users > 0 && !all)) return;
    entry.off?.();
    this.clocks.delete(clock);
    this.clockAt[entry.index] = undefined;
  }

  private receive(m: FromRelayThread): void {
    switch (m.op) {
      case "started":
        this.starting.get(m.relay)?.resolve(m);
        this.starting.delete(m.relay);
        return;
      case "failed":
        this.starting.get(m.relay)?.reject(new Error(m.message));
        this.starting.delete(m.relay);
        return;
      case "stopped":
        this.stopping.get(m.relay)?.resolve();
        this.stopping.delete(m.relay);
        return;
      case "timer": {
        const clock = this.clockAt[m.clock];
        if (clock) {
          const handle = clock.setTimeout(() => {
            this.timers.delete(m.timer);
            this.state.fired();
            this.send({ op: "fire", timer: m.timer });
          }, m.dueAt - clock.now());
          this.timers.set(m.timer, { clock, handle });
        }
        this.state.requestTaken();
        return;
      }
      case "clear": {
        const t = this.timers.get(m.timer);
        this.timers.delete(m.timer);
        t?.clock.clear(t.handle);
        return;
      }
      case "event": {
        const mirror = this.mirrors.get(m.relay);
        if (!mirror) return;
        mirror.events.push(m.event);
        if (m.event.kind === "accepted") mirror.open++;
        else if (m.event.kind === "closed") mirror.open--;
        return;
      }
      case "socket":
        this.sockets.set(m.key, { slot: m.slot, serial: nextForeignSerial(), peerKey: m.peerKey });
        this.closed.delete(m.key);
        this.slotKeys.set(m.slot, m.key);
        this.mirrors.get(m.relay)?.keys.add(m.key);
        return;
      case "gone": {
        const key = this.slotKeys.get(m.slot);
        this.slotKeys.delete(m.slot);
        if (key !== undefined && this.sockets.get(key)?.slot === m.slot) {
          this.closed.set(key, this.state.readSlot(m.slot));
          this.sockets.delete(key);
        }
        this.send({ op: "free", slot: m.slot });
        return;
      }
    }
  }
}
