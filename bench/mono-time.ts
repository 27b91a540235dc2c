import type { Clock } from "../src/core/clock.js";

/**
 * CLOCK_MONOTONIC in ms: Node's hrtime reads it (libuv's uv_hrtime), and so does mosquitto 2.0's `mosquitto_time()`
 * (its sweep seconds are whole seconds of it). Every process on the machine shares it, so it is the common frame
 * the bench converts the fleet's, the embedded broker child's and the real mosquitto's times through.
 */
export function monoMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** monotonic ms − clock ms for a real-time clock (constant for scale 1): add it to a clock time to get monotonic. */
export function monoOffsetMs(clock: Clock): number {
  const a = clock.now();
  const m = monoMs();
  const b = clock.now();
  return m - (a + b) / 2;
}
