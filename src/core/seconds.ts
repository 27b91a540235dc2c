/** Clock ms → scenario seconds (3 decimals) for reports and check arguments; null kept. */
export const secondsOrNull = (ms: number | null): number | null =>
  ms === null ? null : Math.round(ms) / 1000;
