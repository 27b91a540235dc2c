/**
 * The effective settings NanoMQ prints when it starts at log level `info` (`print_conf` in conf.c; measured on
 * 0.21.9 and 0.25.3, both word them the same):
 *
 *     This NanoMQ instance configured as:
 *     …
 *     retry_interval:           1s
 *     keepalive_multiplier:     1.250000
 *
 * Q (`retry_interval`, whole seconds: NanoMQ keeps it as an integer) and M are what its keepalive model needs.
 */
export interface NanomqSettings {
  /** Q, ms. */
  retryIntervalMs: number;
  /** M. */
  keepaliveMultiplier: number;
}

/** The literals the settings lines hold (the byte reader must decode these lines: they are INFO, no signature). */
export const SETTINGS_ANCHORS = [
  "This NanoMQ instance configured as:",
  "retry_interval:",
  "keepalive_multiplier:",
];

export type SettingsLine =
  | { kind: "start" }
  | { kind: "retry-interval"; ms: number }
  | { kind: "multiplier"; value: number };

const RETRY = /(?:^|: )retry_interval:\s+(\d+)s\s*$/;
const MULTIPLIER = /(?:^|: )keepalive_multiplier:\s+(\d+(?:\.\d+)?)\s*$/;

/** What one log line (whole, or its message) says about the settings, if anything. */
export function readSettingsLine(text: string): SettingsLine | undefined {
  if (text.includes(SETTINGS_ANCHORS[0] as string)) return { kind: "start" };
  const r = RETRY.exec(text);
  if (r) return { kind: "retry-interval", ms: Number(r[1]) * 1000 };
  const m = MULTIPLIER.exec(text);
  if (m) return { kind: "multiplier", value: Number(m[1]) };
  return undefined;
}

/**
 * Collects the settings block line by line. A new block (the broker restarted) starts afresh; the settings are
 * known once both values of the block were read.
 */
export class SettingsReader {
  private retryIntervalMs: number | undefined;
  private multiplier: number | undefined;
  /** The last complete block, and the line it completed on. */
  settings: NanomqSettings | undefined;
  line = 0;

  push(text: string, line: number): boolean {
    const s = readSettingsLine(text);
    if (!s) return false;
    if (s.kind === "start") {
      this.retryIntervalMs = undefined;
      this.multiplier = undefined;
    } else if (s.kind === "retry-interval") this.retryIntervalMs = s.ms;
    else this.multiplier = s.value;
    if (s.kind !== "start" && this.retryIntervalMs !== undefined && this.multiplier !== undefined) {
      this.settings = { retryIntervalMs: this.retryIntervalMs, keepaliveMultiplier: this.multiplier };
      this.line = line;
    }
    return true;
  }
}

/**
 * Q and M of the last start-up block in a NanoMQ log's lines (`info` level), or undefined when the log has none
 * (a `warn` log, or a rotated file that no longer holds the start). Pure: `mqdiag scenario --broker-log` calls it.
 */
export function settingsFromLog(lines: Iterable<string>): NanomqSettings | undefined {
  const reader = new SettingsReader();
  let n = 0;
  for (const line of lines) {
    n++;
    if (line.includes(":")) reader.push(line, n);
  }
  return reader.settings;
}
