import type { TickFault } from "../core/profile.js";
import { nanomqTickAt } from "./nanomq-arithmetic.js";

/**
 * The arithmetic of a SIMULATED NanoMQ tick fault (core/profile.ts, TickFault), in ONE place for the runtime
 * model (broker/keepalive/nanomq.ts) and the predictions (predict-nanomq-fault.ts). A model of a jittered or
 * drifting nng timer, not a measured behaviour: the real NanoMQ has no such setting.
 */

/** True when the fault changes anything (jitter > 0 or drift ≠ 0); without one the plain tick model runs. */
export function hasTickFault(fault: TickFault | undefined): fault is TickFault {
  return fault !== undefined && (fault.jitterMs > 0 || fault.drift !== 0);
}

/** To the microsecond, so that 10 s × 0.95 is 9.5 s, not 9499.999999999998 ms. */
const us = (ms: number) => Math.round(ms * 1000) / 1000;

/** Q′ = Q·(1 + drift): the wait between two ticks before jitter. */
export function faultyIntervalMs(retryIntervalMs: number, fault: TickFault): number {
  return us(retryIntervalMs * (1 + fault.drift));
}

/** 1.5·Q′: the wait from CONNECT to the first tick before jitter. */
export function faultyFirstDelayMs(retryIntervalMs: number, fault: TickFault): number {
  return us(1.5 * retryIntervalMs * (1 + fault.drift));
}

/**
 * One connection's tick times under the fault, drawn as they are needed: tick 0 at connectAt + 1.5·Q′ + U₀, tick k
 * at tick k−1 + Q′ + U_k (the lateness carries over, as nng's re-arm from the late callback makes it). `draw()`
 * returns [0, 1); without a fault the plain schedule (nanomqTickAt), bit for bit.
 */
export function tickSchedule(
  connectAt: number,
  retryIntervalMs: number,
  fault: TickFault | undefined,
  draw: () => number,
): (k: number) => number {
  if (!hasTickFault(fault)) return (k) => nanomqTickAt(connectAt, retryIntervalMs, k);
  const first = faultyFirstDelayMs(retryIntervalMs, fault);
  const interval = faultyIntervalMs(retryIntervalMs, fault);
  const times: number[] = [];
  return (k) => {
    while (times.length <= k) {
      const previous = times[times.length - 1];
      const wait = previous === undefined ? connectAt + first : previous + interval;
      times.push(wait + draw() * fault.jitterMs);
    }
    return times[k] as number;
  };
}

/** Words for reports: "each tick late by 0–2 s, every interval 40 % shorter (a fast timer)". */
export function tickFaultWords(fault: TickFault): string {
  const parts: string[] = [];
  if (fault.jitterMs > 0) parts.push(`each tick late by 0–${fault.jitterMs / 1000} s (seed ${fault.seed})`);
  const pct = Math.round(Math.abs(fault.drift) * 100_000) / 1000;
  if (fault.drift > 0) parts.push(`every interval ${pct} % longer (a slow timer)`);
  if (fault.drift < 0) parts.push(`every interval ${pct} % shorter (a fast timer)`);
  return parts.join(", ");
}
