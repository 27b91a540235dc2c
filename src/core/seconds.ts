/**
 * The one seconds formatter. Every number of seconds mqdiag reports — JSON, check arguments, text — is rounded here,
 * half up on the millisecond value, so a report's text and its JSON never disagree about the same instant.
 */

/** Clock ms → seconds rounded half up to `digits` decimals (3: whole milliseconds). */
export const seconds = (ms: number, digits = 3): number => Math.round(ms / 10 ** (3 - digits)) / 10 ** digits;

/** `seconds`, with null kept. */
export const secondsOrNull = (ms: number | null, digits = 3): number | null =>
  ms === null ? null : seconds(ms, digits);

/** A measured time as text with `digits` fixed decimals and no unit: "12.3" (columns, ranges). */
export const fixedSeconds = (ms: number, digits = 1): string => seconds(ms, digits).toFixed(digits);

/** A measured time as text with `digits` fixed decimals: "12.3 s". */
export const formatSeconds = (ms: number, digits = 1): string => `${fixedSeconds(ms, digits)} s`;

/** A configured or modelled duration as text, exact to the millisecond with no trailing zeros: "2.5 s", "60 s". */
export const durationText = (ms: number): string => `${seconds(ms)} s`;
