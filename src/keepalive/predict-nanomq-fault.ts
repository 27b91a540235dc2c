import type { TickFault } from "../core/profile.js";
import { type DelayWindow, inboundTimeline, type KickQuery, type KickWindow } from "./predict-types.js";
import { faultyFirstDelayMs, faultyIntervalMs } from "./tick-fault.js";

/**
 * NanoMQ's kick window under a SIMULATED tick fault (core/profile.ts, TickFault) — the widened window, computed
 * over every jitter draw, not sampled. A model of a faulty nng timer, not a measured behaviour.
 *
 * `n` is the kick counter N (= ⌊KA·M/Q⌋ + 1, unchanged by the fault: the counter compares n·Q, the configured Q).
 * A kick is the (N+1)-th tick after an inbound packet with no packet in between.
 */
export interface FaultParams {
  n: number;
  retryIntervalMs: number;
  fault: TickFault;
}

/** Ticks the window walk follows at most; beyond, the coarse bounds. */
const MAX_STEPS = 200_000;

/** Tick times reachable with `m` ticks so far in the gap between two inbound packets that holds them. */
interface Span {
  lo: number;
  hi: number;
  gap: number;
  m: number;
}

/** Cuts [lo, hi] at the packet times: gap g is (timeline[g], timeline[g+1]] (a tick at a packet's instant runs first). */
function split(timeline: readonly number[], lo: number, hi: number, from: number): Span[] {
  const out: Span[] = [];
  let g = from;
  while (g + 1 < timeline.length && (timeline[g + 1] as number) < lo) g += 1;
  for (let start = lo; ; g += 1) {
    const end = timeline[g + 1] ?? Number.POSITIVE_INFINITY;
    out.push({ lo: start, hi: Math.min(hi, end), gap: g, m: 0 });
    if (hi <= end) return out;
    start = end;
  }
}

/** Unions spans of the same gap and count that overlap. */
function merge(spans: Span[]): Span[] {
  spans.sort((a, b) => a.gap - b.gap || a.m - b.m || a.lo - b.lo);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && last.gap === s.gap && last.m === s.m && s.lo <= last.hi) last.hi = Math.max(last.hi, s.hi);
    else out.push({ ...s });
  }
  return out;
}

/**
 * Earliest and latest kick over every jitter draw, for the query's inbound history (a breadth-first walk over the
 * reachable tick times, one step per tick: a tick's time and its count in the current gap decide everything after
 * it). Bounds are closures: a bound reached only in the limit (a tick landing just after a packet) is included.
 */
export function faultyKickWindow(p: FaultParams, query: KickQuery): KickWindow {
  const timeline = inboundTimeline(query);
  const connectAt = timeline[0] ?? 0;
  const q = faultyIntervalMs(p.retryIntervalMs, p.fault);
  const j = p.fault.jitterMs;
  const first = connectAt + faultyFirstDelayMs(p.retryIntervalMs, p.fault);
  const last = timeline[timeline.length - 1] ?? connectAt;
  if ((last - connectAt) / q + p.n > MAX_STEPS) {
    // Too many ticks to walk (a tiny Q against a long history): the bounds every kick keeps — at least N+1 ticks
    // after CONNECT, and at most a first wait plus N+1 longest waits after the last packet.
    const longest = q + j;
    return {
      earliestMs: first + p.n * q,
      latestMs: last + Math.max(first - connectAt, q) + j + p.n * longest,
      exact: false,
    };
  }
  let spans = split(timeline, first, first + j, 0).map((s) => ({ ...s, m: 1 }));
  let earliestMs = Number.POSITIVE_INFINITY;
  let latestMs = Number.NEGATIVE_INFINITY;
  while (spans.length > 0) {
    const next: Span[] = [];
    for (const s of spans) {
      if (s.m > p.n) {
        // This tick evaluates n = m − 1 ≥ N: kicked.
        earliestMs = Math.min(earliestMs, s.lo);
        latestMs = Math.max(latestMs, s.hi);
        continue;
      }
      for (const t of split(timeline, s.lo + q, s.hi + q + j, s.gap))
        next.push({ ...t, m: t.gap === s.gap ? s.m + 1 : 1 });
    }
    spans = merge(next);
  }
  return { earliestMs, latestMs, exact: earliestMs === latestMs };
}

/**
 * After the last packet, tick phase unknown: more than N·Q′ (the first tick right after the packet, no jitter) and
 * at most (N+1)·(Q′ + j) (the packet right after a tick, every wait at its longest).
 */
export function faultyDelayAfterLastPacket(p: FaultParams): DelayWindow {
  const q = faultyIntervalMs(p.retryIntervalMs, p.fault);
  return { minMs: p.n * q, maxMs: (p.n + 1) * (q + p.fault.jitterMs), exact: false };
}

/** Silent since CONNECT: tick N, 1.5·Q′ + N·Q′ after it, plus 0 to (N+1)·j of accumulated lateness. */
export function faultyDelayAfterConnect(p: FaultParams): DelayWindow {
  const at =
    faultyFirstDelayMs(p.retryIntervalMs, p.fault) + p.n * faultyIntervalMs(p.retryIntervalMs, p.fault);
  const maxMs = at + (p.n + 1) * p.fault.jitterMs;
  return { minMs: at, maxMs, exact: maxMs === at };
}
