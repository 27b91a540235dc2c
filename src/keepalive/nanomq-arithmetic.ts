import { type NanomqVersion, versionAtLeast } from "../core/profile.js";

/**
 * NanoMQ's KeepAlive arithmetic (docs/broker-facts.md, "NanoMQ's KeepAlive model"), in ONE place: the runtime model
 * (nanomq.ts) and the predictions (predict-nanomq.ts) both use these functions, so they cannot disagree.
 *
 * Q = `mqtt.retry_interval`, M = `mqtt.keepalive_multiplier`, KA = the client's keepalive. A per-connection timer
 * fires 1.5·Q after CONNECT, then every Q on a fixed schedule; every inbound packet sets n = 0; at each tick the
 * client is kicked if n·Q > KA·M, otherwise n += 1.
 */

/** KA·M in ms, rounded to the microsecond so that e.g. 10 s × 1.1 compares as 11 s, not 11.000000000000002 s. */
export function nanomqLimitMs(keepaliveMs: number, multiplier: number): number {
  return Math.round(keepaliveMs * multiplier * 1000) / 1000;
}

/** The decision taken at each tick: kick when n·Q > KA·M. */
export function nanomqShouldKick(
  counter: number,
  retryIntervalMs: number,
  keepaliveMs: number,
  multiplier: number,
): boolean {
  return counter * retryIntervalMs > nanomqLimitMs(keepaliveMs, multiplier);
}

/**
 * N = the counter value at which a tick kicks: the smallest n with nanomqShouldKick(n) (= ⌊KA·M/Q⌋ + 1). A silent
 * client is kicked by the (N+1)-th tick after its last inbound packet.
 */
export function nanomqKickCounter(retryIntervalMs: number, keepaliveMs: number, multiplier: number): number {
  const kicks = (n: number) => nanomqShouldKick(n, retryIntervalMs, keepaliveMs, multiplier);
  let n = Math.max(0, Math.floor(nanomqLimitMs(keepaliveMs, multiplier) / retryIntervalMs));
  while (!kicks(n)) n += 1;
  while (n > 0 && kicks(n - 1)) n -= 1;
  return n;
}

/** Clock ms of tick k (k = 0, 1, …) of a connection accepted at connectAt: connectAt + 1.5·Q + k·Q. */
export function nanomqTickAt(connectAt: number, retryIntervalMs: number, k: number): number {
  return connectAt + 1.5 * retryIntervalMs + k * retryIntervalMs;
}

/**
 * Index of the first tick strictly after `at` (a tick at the same instant as a packet is taken to run before it,
 * as on the runtime clock: timers due at t fire before the packet read at t is handled).
 */
export function nanomqFirstTickAfter(connectAt: number, retryIntervalMs: number, at: number): number {
  let k = Math.max(0, Math.floor((at - connectAt - 1.5 * retryIntervalMs) / retryIntervalMs) + 1);
  while (nanomqTickAt(connectAt, retryIntervalMs, k) <= at) k += 1;
  while (k > 0 && nanomqTickAt(connectAt, retryIntervalMs, k - 1) > at) k -= 1;
  return k;
}

/** The first build that no longer kicks keepalive-0 clients. */
export const NANOMQ_KEEPALIVE_ZERO_EXEMPT_SINCE: NanomqVersion = [0, 24, 12];

/**
 * Whether NanoMQ enforces this keepalive at all: keepalive 0 is never kicked in current builds (≥ 0.24.12); older
 * builds kicked it like any other (KA·M = 0, so the second tick after the last packet kicks).
 */
export function nanomqEnforces(keepaliveMs: number, version: NanomqVersion): boolean {
  return keepaliveMs > 0 || !versionAtLeast(version, NANOMQ_KEEPALIVE_ZERO_EXEMPT_SINCE);
}
