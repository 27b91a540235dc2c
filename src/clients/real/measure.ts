import { type Broker, startBroker } from "../../broker/index.js";
import type { Clock } from "../../core/clock.js";
import { type LinkFault, startRelay } from "../../link/index.js";
import { type ClientWatch, TraceWatches } from "./client-watch.js";
import { realLibrary } from "./index.js";
import type { RealClient, RealLibraryId } from "./types.js";

/**
 * Measuring a real library's keepalive through the link against the embedded broker, on real time. The broker is
 * the nanomq profile with a multiplier no keepalive reaches (it never kicks): what it records is only when each
 * packet arrived, so every time here is the broker's, as a broker would see the client.
 */
export interface MeasureEnv {
  clock: Clock;
  broker: Broker;
  watches: TraceWatches;
  close(): Promise<void>;
}

/** A broker that answers every PINGREQ and never kicks (nanomq profile, Q 1 s, M 10000) on `clock`, watched. */
export async function measureEnv(clock: Clock): Promise<MeasureEnv> {
  const broker = await startBroker({
    port: 0,
    clock,
    profile: "nanomq",
    retryIntervalMs: 1000,
    keepaliveMultiplier: 10_000,
  });
  const watches = new TraceWatches(broker);
  return {
    clock,
    broker,
    watches,
    async close() {
      watches.dispose();
      await broker.close();
    },
  };
}

export interface MeasureCase {
  library: RealLibraryId;
  keepaliveS: number;
  loopIntervalMs: number;
}

export interface PingGaps extends MeasureCase {
  /** CONNECT → first PINGREQ, clock ms (null: none came in time). */
  firstGapMs: number | null;
  /** PINGREQ → next PINGREQ, each, clock ms. */
  gapsMs: number[];
  /** Set when the client's connection ended while being measured: its own reason, or the broker's. */
  ended: string | null;
}

export interface GiveUp extends MeasureCase {
  /** The first PINGREQ (left unanswered: every PINGRESP is dropped) → the client's connection closed, clock ms. */
  afterMs: number | null;
  /** How long after that PINGREQ it was watched when it did not give up (afterMs null). */
  watchedMs: number;
  /** PINGREQs the broker received after the first and before the end (a library re-sending its ping). */
  morePings: number;
  /** The library's own reason, when it said one. */
  lost: string | null;
}

let nextId = 0;

/**
 * Clients start one at a time, each once the one before has its CONNACK (or 3 s passed): starting a process blocks
 * this event loop for a few ms, and a dozen at once would stamp a neighbour's CONNECT or first PINGREQ late.
 */
let starting: Promise<unknown> = Promise.resolve();
function startInTurn(clock: Clock, start: () => Promise<RealClient>): Promise<RealClient> {
  const started = starting.then(start);
  starting = started.then(
    (c) => Promise.race([c.connected, clock.sleep(3000)]),
    () => undefined,
  );
  return started;
}

/** The client's own reason for ending, if it ends within 2 s of its connection closing. */
async function lostReason(clock: Clock, client: RealClient): Promise<string | null> {
  const late = clock.sleep(2000).then(() => null);
  return Promise.race([client.exited.then((e) => e.lost), late]);
}

/** Runs one client of the case's library through a relay with `faults`, watching it; always cleans up. */
async function withClient<T>(
  env: MeasureEnv,
  c: MeasureCase,
  faults: LinkFault[],
  body: (watch: ClientWatch, client: RealClient) => Promise<T>,
): Promise<T> {
  const clientId = `mqdiag-${c.library}-k${c.keepaliveS}-l${c.loopIntervalMs}-${process.pid}-${nextId++}`;
  const relay = await startRelay({ clock: env.clock, target: env.broker, link: { faults } });
  const watch = env.watches.watch(clientId);
  let client: RealClient | undefined;
  try {
    const options = {
      host: relay.host,
      port: relay.port,
      clientId,
      keepaliveS: c.keepaliveS,
      loopIntervalMs: c.loopIntervalMs,
    };
    client = await startInTurn(env.clock, () => realLibrary(c.library).start(options));
    return await body(watch, client);
  } finally {
    await client?.stop();
    watch.dispose();
    await relay.stop();
  }
}

/** The first gap after CONNECT and `gaps` idle gaps between PINGREQs; gives up after `timeoutMs`. */
export function measurePingGaps(
  env: MeasureEnv,
  c: MeasureCase & { gaps: number; timeoutMs: number },
): Promise<PingGaps> {
  return withClient(env, c, [], async (watch, client) => {
    let ended: string | null = null;
    void client.exited.then((e) => {
      ended = e.lost ?? `exited ${e.code ?? e.signal}`;
    });
    await watch.until(env.clock, (s) => s.pingreqAt.length > c.gaps || s.closedAt !== null, c.timeoutMs);
    const { connectAt, pingreqAt, closedAt, closeCause } = watch.seen;
    const first = pingreqAt[0];
    return {
      library: c.library,
      keepaliveS: c.keepaliveS,
      loopIntervalMs: c.loopIntervalMs,
      firstGapMs: first !== undefined && connectAt !== null ? first - connectAt : null,
      gapsMs: pingreqAt.slice(1).map((t, i) => t - (pingreqAt[i] ?? t)),
      ended: closedAt === null ? null : (ended ?? `closed (${closeCause})`),
    };
  });
}

/** Drops every PINGRESP and times the client's giving up after its first PINGREQ, watching `watchMs` at most. */
export function measureGiveUp(env: MeasureEnv, c: MeasureCase & { watchMs: number }): Promise<GiveUp> {
  const faults: LinkFault[] = [{ kind: "drop", packet: "pingresp" }];
  return withClient(env, c, faults, async (watch, client) => {
    const firstPingMs = c.keepaliveS * 1000 * 2 + 3000;
    await watch.until(env.clock, (s) => s.pingreqAt.length > 0 || s.closedAt !== null, firstPingMs);
    const first = watch.seen.pingreqAt[0];
    if (first === undefined) throw new Error(`${c.library} sent no PINGREQ within ${firstPingMs} ms`);
    await watch.until(env.clock, (s) => s.closedAt !== null, first + c.watchMs - env.clock.now());
    const { closedAt, pingreqAt } = watch.seen;
    const lost = closedAt === null ? null : await lostReason(env.clock, client);
    return {
      library: c.library,
      keepaliveS: c.keepaliveS,
      loopIntervalMs: c.loopIntervalMs,
      afterMs: closedAt === null ? null : closedAt - first,
      watchedMs: (closedAt ?? env.clock.now()) - first,
      morePings: pingreqAt.filter((t) => t > first && (closedAt === null || t <= closedAt)).length,
      lost,
    };
  });
}
