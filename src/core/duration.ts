import { UsageError } from "./errors.js";

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration the way NanoMQ's HOCON config writes it ("10s", "500ms", "1m", "1.5s"), or a bare number in
 * `bareUnit` (seconds unless told otherwise). Returns milliseconds.
 */
export function parseDuration(text: string, what = "duration", bareUnit: keyof typeof UNITS = "s"): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!match?.[1]) throw new UsageError(`${what}: expected a duration like 10s, 500ms or 1m, got "${text}"`);
  const unit = (match[2] ?? bareUnit).toLowerCase();
  const factor = UNITS[unit];
  if (factor === undefined) throw new UsageError(`${what}: unknown unit in "${text}"`);
  return Number(match[1]) * factor;
}

/** Parses a positive finite number option ("1.25"). */
export function parsePositiveNumber(text: string, what: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${what}: expected a positive number, got "${text}"`);
  }
  return value;
}

/** Parses a TCP port (0 = pick a free one). */
export function parsePort(text: string, what = "--port"): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value > 65535) {
    throw new UsageError(`${what}: expected a port from 0 to 65535, got "${text}"`);
  }
  return value;
}

/** Parses a keepalive: whole seconds from 0 to 65535 (MQTT's two bytes), a trailing "s" allowed ("60", "60s"). */
export function parseKeepaliveSeconds(text: string, what = "--keepalive", example = "60"): number {
  const s = text.trim().replace(/s$/i, "");
  const n = Number(s);
  if (s === "" || !Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(
      `${what}: expected whole seconds from 0 to 65535 like ${example}, got "${text.trim()}"`,
    );
  return n;
}
