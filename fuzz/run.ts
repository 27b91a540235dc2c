import { type ConnectionOptions, type ConnectionOutcome, runConnection } from "./connection.js";
import { prng } from "./prng.js";
import { StallMeter } from "./stall-meter.js";

export interface FuzzOptions {
  host: string;
  port: number;
  /** Stop after this many packets have been sent (counted as planned per connection). */
  packets: number;
  seed: number;
  /** Connections in flight at once. */
  concurrency?: number;
  maxPacketsPerConnection?: number;
  settleMs?: number;
  onProgress?: (stats: FuzzStats) => void;
  /** Every connection's outcome with its number (its client id is `fuzz-<id>`, its PRNG seeded from it). */
  onOutcome?: (id: number, outcome: ConnectionOutcome) => void;
}

export interface FuzzStats {
  seed: number;
  packets: number;
  bytes: number;
  connections: number;
  closedByBroker: number;
  leftOpen: number;
  socketErrors: Record<string, number>;
  /** Per named variant sent alone after CONNECT: what the broker did. */
  variants: Record<string, VariantOutcomes>;
  /**
   * The slowest close of any connection after its last write, real ms less this process's stalls in between
   * (the broker closes "at once").
   */
  slowestCloseMs: number;
  /** The longest stall of this process's event loop inside one connection's close window, ms. */
  longestStallMs: number;
  durationMs: number;
}

export interface VariantOutcomes {
  /** Connections the broker closed / left open. */
  closed: number;
  open: number;
  /** The slowest close after the variant was written, real ms. */
  slowestCloseMs: number;
  /** What the broker answered before closing or while staying open (hex → connections; "" = nothing). */
  replies: Record<string, number>;
}

/** Throws seeded, mutated and malformed packets at a broker over many connections; returns what happened. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzStats> {
  const stats: FuzzStats = {
    seed: options.seed,
    packets: 0,
    bytes: 0,
    connections: 0,
    closedByBroker: 0,
    leftOpen: 0,
    socketErrors: {},
    variants: {},
    slowestCloseMs: 0,
    longestStallMs: 0,
    durationMs: 0,
  };
  const stalls = new StallMeter().start();
  const started = performance.now();
  let planned = 0;
  let next = 0;
  const record = (o: ConnectionOutcome) => {
    stats.connections++;
    stats.packets += o.packets;
    stats.bytes += o.bytes;
    if (o.closedByBroker) stats.closedByBroker++;
    else stats.leftOpen++;
    if (o.error) stats.socketErrors[o.error] = (stats.socketErrors[o.error] ?? 0) + 1;
    stats.slowestCloseMs = Math.max(stats.slowestCloseMs, o.closeAfterMs ?? 0);
    stats.longestStallMs = Math.max(stats.longestStallMs, o.stalledMs ?? 0);
    if (o.variant) {
      const v = stats.variants[o.variant] ?? { closed: 0, open: 0, slowestCloseMs: 0, replies: {} };
      stats.variants[o.variant] = v;
      if (o.closedByBroker) v.closed++;
      else v.open++;
      v.slowestCloseMs = Math.max(v.slowestCloseMs, o.closeAfterMs ?? 0);
      v.replies[o.reply ?? ""] = (v.replies[o.reply ?? ""] ?? 0) + 1;
    }
    if (stats.connections % 500 === 0)
      options.onProgress?.({ ...stats, durationMs: performance.now() - started });
  };
  const worker = async () => {
    while (planned < options.packets) {
      const id = next++;
      const outcome = await runNumberedConnection(options.seed, id, {
        host: options.host,
        port: options.port,
        settleMs: options.settleMs ?? 150,
        maxPackets: options.maxPacketsPerConnection ?? 12,
        stalls,
      });
      planned += outcome.packets;
      record(outcome);
      options.onOutcome?.(id, outcome);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 32 }, worker));
  stalls.stop();
  stats.durationMs = performance.now() - started;
  return stats;
}

/**
 * Connection `id` of the run seeded `seed`, alone: each connection draws from its own PRNG seeded from the run's,
 * so the run is reproducible whatever the interleaving of connections, and one connection can be replayed.
 */
export function runNumberedConnection(
  seed: number,
  id: number,
  options: Omit<ConnectionOptions, "clientId">,
): Promise<ConnectionOutcome> {
  return runConnection(prng(seed * 1_000_003 + id), { ...options, clientId: `fuzz-${id}` });
}
