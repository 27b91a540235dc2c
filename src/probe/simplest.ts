/**
 * The simplest decimal in [lo, hi): the fewest decimal places (up to `maxDigits`), then the smallest. Config
 * values are written by people (`keepalive_multiplier = 1.25`, `retry_interval = 10s`), so of all the values a
 * measurement cannot tell apart, the simplest is the one to name. Falls back to the midpoint, rounded.
 */
export function simplestIn(lo: number, hi: number, maxDigits = 2): number {
  if (!Number.isFinite(hi)) return lo;
  for (let digits = 0; digits <= maxDigits; digits++) {
    const f = 10 ** digits;
    const first = Math.ceil(lo * f - 1e-9) / f;
    if (first < hi - 1e-9) return first;
  }
  const f = 10 ** maxDigits;
  return Math.round(((lo + hi) / 2) * f) / f;
}
