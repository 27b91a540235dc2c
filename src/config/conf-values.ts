/**
 * Values as NanoMQ's config writes them: durations with units (`10s`, `500ms`, `1m`, `1h`; a bare number is
 * seconds, as the old flat `qos_duration=10`) and plain numbers (`1.25`). Undefined when unreadable.
 */
const UNIT_MS: ReadonlyArray<[RegExp, number]> = [
  [/^(ms|millis?|milliseconds?)$/i, 1],
  [/^(s|secs?|seconds?)?$/i, 1000],
  [/^(m|mins?|minutes?)$/i, 60_000],
  [/^(h|hours?)$/i, 3_600_000],
];

export function parseConfDurationMs(raw: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  if (!match?.[1]) return undefined;
  const unit = match[2] ?? "";
  const factor = UNIT_MS.find(([re]) => re.test(unit))?.[1];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}

export function parseConfNumber(raw: string): number | undefined {
  if (!/^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(raw)) return undefined;
  return Number(raw);
}
