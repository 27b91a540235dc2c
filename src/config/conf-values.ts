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

/*
 * How NanoMQ itself turns the text into numbers (nng/src/supplemental/nanolib/conf.c and conf_ver2.c of the 0.21.9
 * and 0.25.3 sources; checked by linking a harness against each real build's libnng.a and feeding it values).
 */

/** C's atoi (flat `qos_duration`, conf.c conf_basic_parse): leading blanks, a sign, digits; the rest ignored; 0 if none. */
export function cAtoi(raw: string): number {
  const match = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(raw);
  return match?.[1] ? Number.parseInt(match[1], 10) : 0;
}

/** C's atof (flat `keepalive_backoff`, conf.c conf_basic_parse): the longest decimal prefix; 0 if none. */
export function cAtof(raw: string): number {
  const match = /^[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(raw);
  if (match?.[1]) return Number(match[1]);
  const special = /^[ \t\n\v\f\r]*([+-]?)(inf(inity)?|nan)/i.exec(raw);
  if (special)
    return special[2]?.toLowerCase().startsWith("inf")
      ? (special[1] === "-" ? -1 : 1) * Infinity
      : Number.NaN;
  return 0;
}

/** Whether the whole value (blanks and a trailing comment aside) is the number atoi/atof took from it. */
export function readsWhole(raw: string, integer: boolean): boolean {
  const body = raw.replace(/\s#.*$/, "").trim();
  return integer ? /^[+-]?\d+$/.test(body) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body);
}

/**
 * NanoMQ's `get_time` (conf.c), which `hocon_read_time_base` (conf_ver2.c) applies to a HOCON string such as
 * `retry_interval = 10s`: `sscanf("%lu%c")` — digits, then ONE unit character: s, m, h (and d since 0.22; 0.21.9
 * reads d as 0). Whatever follows the unit character is ignored, so `500ms` is 500 MINUTES. When it fails (no
 * digits, no unit, `10S`, `"10"`, a minus sign) the macro still stores its zero-initialised result: Q = 0 s.
 * Returns whole seconds.
 */
export function nanomqGetTimeS(raw: string): number {
  if (raw.includes("-")) return 0;
  const match = /^[ \t\n\v\f\r]*\+?(\d+)([\s\S])/.exec(raw);
  if (!match?.[1]) return 0;
  const n = Number(match[1]);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as string];
  return unit === undefined ? 0 : n * unit;
}

/**
 * What NanoMQ's HOCON scanner makes of an unquoted value (conf_ver2.c `hocon_read_num_base` then takes it only when
 * it is a number > 0): a JSON-like number is a number, anything else a string. Measured quirk: `.5` is read as 5.
 */
export function hoconNumber(raw: string): number | undefined {
  const body = raw.trim();
  if (/^\.\d+$/.test(body)) return Number(body.slice(1));
  if (!/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(body)) return undefined;
  return Number(body);
}
