import { parentPort, workerData } from "node:worker_threads";
import { errorMessage } from "../core/errors.js";
import { type Relay, startRelayHere } from "./relay.js";
import { SocketPublisher } from "./socket-publisher.js";
import { ThreadTimers } from "./thread-clock.js";
import type { FromRelayThread, ToRelayThread } from "./thread-messages.js";
import { type ThreadMemory, ThreadState } from "./thread-state.js";

/**
 * The relay thread: every link relay of the process runs here (relay.ts), so that their socket work — as much
 * again as the clients' and the broker's own — does not share the event loop of the clients and the broker they
 * sit between. Started by relay-host.ts, which it answers by message; its sockets and its business are published
 * in shared memory (thread-state.ts) for the host's in-flight watch.
 */
const port = parentPort;
if (!port) throw new Error("relay-worker.ts runs as a worker thread (relay-host.ts starts it)");
const state = new ThreadState(workerData as ThreadMemory);
const post = (m: FromRelayThread) => port.postMessage(m);
const publisher = new SocketPublisher(state, post);
const timers = new ThreadTimers(state, post, (fn) => publisher.guard(fn));
const relays = new Map<number, Relay>();

function start(m: Extract<ToRelayThread, { op: "start" }>): void {
  const hooks = publisher.hooks(m.relay);
  const clock = timers.clock(m.clock);
  startRelayHere({ clock, target: m.target, link: m.link, seed: m.seed }, hooks).then(
    (relay) => {
      relays.set(m.relay, relay);
      post({ op: "started", relay: m.relay, port: relay.port, startedAt: relay.startedAt });
    },
    (err: unknown) => post({ op: "failed", relay: m.relay, message: errorMessage(err) }),
  );
}

port.on("message", (m: ToRelayThread) => {
  if (m.op === "fire") {
    publisher.guard(() => {
      timers.fire(m.timer);
      state.fireRun();
    });
  } else if (m.op === "start") publisher.guard(() => start(m));
  else if (m.op === "stop") {
    const relay = relays.get(m.relay);
    relays.delete(m.relay);
    let stopping: Promise<void> = Promise.resolve();
    publisher.guard(() => {
      stopping = relay?.stop() ?? stopping;
    });
    void stopping.then(() => post({ op: "stopped", relay: m.relay }));
  } else publisher.release(m.slot);
});
