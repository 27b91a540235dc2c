/**
 * How a scenario's clock runs: "event" (event-driven: real speed while anything happens, a jump to the next timer
 * while nothing does: src/core/event-clock.ts), "auto" (a fixed scale per scenario), or a fixed scale (1 = real time).
 */
export type TimeScale = number | "auto" | "event";

/** Wall ms a scenario should take under `--time-scale auto`. */
export const AUTO_WALL_MS = 2500;
/**
 * The fastest auto scale: at 50× a 20 ms event-loop stall is 1 scenario second, still inside the tolerances the
 * kick checks allow; faster would trade precision for little wall time.
 */
export const MAX_AUTO_SCALE = 50;

/** The scale that fits `scenarioMs` into about AUTO_WALL_MS of wall time (never slower than real time). */
export function autoTimeScale(scenarioMs: number): number {
  return Math.min(MAX_AUTO_SCALE, Math.max(1, Math.ceil(scenarioMs / AUTO_WALL_MS)));
}

/** How far a measured time may stray, in scenario ms: 0.5 s plus 40 ms of wall-clock jitter at this scale. */
export function toleranceMs(scale: number): number {
  return 500 + 40 * scale;
}
