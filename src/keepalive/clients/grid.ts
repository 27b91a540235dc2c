/**
 * Small time helpers the client models share: periodic checks (an application loop, a library's check timer) and
 * whole-second clocks (`time()`). Client-clock ms, CONNECT sent at 0.
 */

/** Times are kept to the µs, so that sums of fractional periods compare exactly. */
export function toMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** The first time origin + k·period (k = 0, 1, …) at or after t. */
export function gridAtOrAfter(t: number, origin: number, period: number): number {
  if (t <= origin) return origin;
  const at = (k: number) => toMicros(origin + k * period);
  let k = Math.ceil((t - origin) / period);
  while (k > 0 && at(k - 1) >= t) k -= 1;
  while (at(k) < t) k += 1;
  return at(k);
}

/** The first time origin + k·period (k = 0, 1, …) strictly after t. */
export function gridAfter(t: number, origin: number, period: number): number {
  const at = gridAtOrAfter(t, origin, period);
  return at > t ? at : toMicros(at + period);
}

/**
 * A whole-second clock whose seconds start `offsetMs` before client time 0 (offsetMs ∈ [0, 1000): where in a
 * wall-clock second the CONNECT went).
 */
export function wallSecond(t: number, offsetMs: number): number {
  return Math.floor((t + offsetMs) / 1000);
}

/** Client time at which whole second `s` of that clock starts. */
export function wallSecondStart(s: number, offsetMs: number): number {
  return s * 1000 - offsetMs;
}

/** The keepalive in whole seconds, as the wire carries it. */
export function keepaliveSeconds(keepaliveMs: number): number {
  return Math.floor(keepaliveMs / 1000);
}

/** The round trip of a PINGREQ and its PINGRESP. */
export function roundTripMs(oneWayLatencyMs: number): number {
  return 2 * oneWayLatencyMs;
}

/** A phase ∈ [0, 1) as ms of a span, rounded to the µs so that sampled phases give exact times. */
export function phaseMs(phase: number, spanMs: number): number {
  return toMicros(phase * spanMs);
}
