/**
 * How a scenario's clock runs: "auto" (the default), event-driven on the embedded broker (real speed while
 * anything happens, a jump to the next timer while nothing does: src/core/event-clock.ts) and real time where it
 * cannot be (an external broker, a real client library's process); or a fixed scale (1 = real time).
 */
export type TimeScale = number | "auto";

/** How far a measured time may stray, in scenario ms: 0.5 s plus 40 ms of wall-clock jitter at this scale. */
export function toleranceMs(scale: number): number {
  return 500 + 40 * scale;
}
