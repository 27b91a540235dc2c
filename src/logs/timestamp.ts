/**
 * A log timestamp. NanoMQ writes local time without a zone (`zoned: false`: shown as written, never shifted);
 * mosquitto writes epoch seconds (`zoned: true`, UTC). `ms` orders and buckets them either way.
 */
export interface LogTime {
  ms: number;
  zoned: boolean;
}

/** ISO 8601, seconds resolution; `Z` only when the log said which zone. */
export function formatLogTime(t: LogTime | null): string | null {
  if (!t) return null;
  const iso = new Date(t.ms).toISOString().replace(/\.000Z$/, "Z");
  return t.zoned ? iso : iso.replace(/Z$/, "");
}

/** `YYYY-mm-dd HH:MM:SS` (or with `T`), read as written. */
export function parseNaiveTime(text: string): number {
  return Date.UTC(
    Number(text.slice(0, 4)),
    Number(text.slice(5, 7)) - 1,
    Number(text.slice(8, 10)),
    Number(text.slice(11, 13)),
    Number(text.slice(14, 16)),
    Number(text.slice(17, 19)),
  );
}
