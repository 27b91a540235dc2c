import net from "node:net";
import type { Clock, TimerHandle } from "../core/clock.js";
import { prng } from "../core/prng.js";
import { RelayConnection } from "./relay-connection.js";
import type { ThreadHooks } from "./thread-hooks.js";
import type { LinkEvent, LinkSpec, StallFault } from "./types.js";
import { directionsOf } from "./types.js";
import { wayFaults } from "./way-faults.js";

export interface RelayOptions {
  clock: Clock;
  /** Where the relay dials: the embedded broker or an external one. */
  target: { host: string; port: number };
  link: LinkSpec;
  /** The seed of the relay's PRNG (jitter, drop draws). Default: `link.seed` (0 when none). */
  seed?: number;
}

/** A relay on a loopback port: dial `host:port` instead of the broker. */
export interface Relay {
  readonly host: string;
  readonly port: number;
  /** Clock ms at which the link started: every fault window counts from it. */
  readonly startedAt: number;
  /** What the relay did so far. `conn` 0 is the link itself (a stall starting or ending). */
  events(): readonly LinkEvent[];
  /** Connections open through the relay now (accepted and not yet closed on both sides). */
  openConnections(): number;
  /** Closes the listener, every connection both ways and every timer; resolves when all are closed. */
  stop(): Promise<void>;
}

/**
 * An in-process TCP relay for one fleet client (CONTRIBUTING.md, "A link between client and broker"): the client
 * dials the relay's loopback port and each connection it opens is dialed through to the target, with the link's
 * faults applied. Neither the broker nor the client's behaviour knows it is there. No root, no namespaces: two
 * sockets and at most a few clock timers per connection. It runs in the relay thread (relay-worker.ts), which
 * calls this; the rest of mqdiag starts one with relay-host.ts's startRelay.
 */
export async function startRelayHere(options: RelayOptions, thread: ThreadHooks): Promise<Relay> {
  const { clock, link } = options;
  const server = net.createServer({ allowHalfOpen: true, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  // after listening, an accept error (EMFILE under a big fleet) must not crash the process: that client's
  // connect fails, as it would against a broker out of descriptors
  server.on("error", () => {});
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const startAt = clock.now();
  const events: LinkEvent[] = [];
  const event = (e: Omit<LinkEvent, "at">) => {
    const full = { at: clock.now(), ...e };
    events.push(full);
    thread.event(full);
  };
  const connections = new Set<RelayConnection>();
  const stalls = link.faults.filter((f): f is StallFault => f.kind === "stall");
  const ctx = {
    clock,
    startAt,
    rand: prng(options.seed ?? link.seed ?? 0),
    event,
    target: options.target,
    faults: { "to-broker": wayFaults(link, "to-broker"), "to-client": wayFaults(link, "to-client") },
    stalls,
    onFinished: (c: RelayConnection) => connections.delete(c),
    thread,
  };
  let nextConn = 1;
  let stopping: Promise<void> | undefined;
  server.on("connection", (socket) =>
    thread.guard(() => {
      thread.track(socket);
      if (stopping) {
        // its close, too, is published (no RelayConnection listens to it)
        socket.once("close", () => thread.guard(() => thread.touch(socket)));
        socket.destroy();
        thread.touch(socket);
      } else connections.add(new RelayConnection(ctx, nextConn++, socket));
    }),
  );

  const timers: TimerHandle[] = [];
  const at = (ms: number, fn: () => void) =>
    timers.push(clock.setTimeout(fn, Math.max(0, startAt + ms - clock.now())));
  for (const f of link.faults) {
    if (f.kind === "reset") {
      at(f.atMs, () => {
        for (const c of connections) for (const way of directionsOf(f.direction)) c.reset(way);
      });
    } else if (f.kind === "stall") {
      const start = f.atMs ?? 0;
      at(start, () => event({ conn: 0, kind: "stall-start" }));
      if (f.forMs !== null && f.forMs !== undefined) {
        at(start + f.forMs, () => {
          event({ conn: 0, kind: "stall-end" });
          if (f.release !== "strand") return;
          for (const c of connections)
            if (c.establishedBefore(startAt + start)) event({ conn: c.id, kind: "stranded" });
        });
      }
    }
  }

  return {
    host: "127.0.0.1",
    port,
    startedAt: startAt,
    events: () => events,
    openConnections: () => connections.size,
    stop() {
      stopping ??= (async () => {
        for (const t of timers) clock.clear(t);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...connections].map((c) => c.stop()));
        await closed;
      })();
      return stopping;
    },
  };
}
